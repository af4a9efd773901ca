-- pg_net keeps responses for `pg_net.ttl` (6 hours by default); so does the relay.
delete from net._http_response
 where created < now() - make_interval(secs => %(ttl_seconds)s)
