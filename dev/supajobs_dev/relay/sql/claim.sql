-- Take up to `limit` committed requests, oldest first. Deleting them is the claim (as in
-- pg_net): once this commits, no other relay sees them. SKIP LOCKED lets relays run side by side.
delete from net.http_request_queue q
 using (select id from net.http_request_queue
         order by id
         limit %(limit)s
         for update skip locked) picked
 where q.id = picked.id
returning q.id, q.method, q.url, q.headers, q.body, q.timeout_milliseconds
