-- A scenario's backlog: %(per_key)s probe jobs for each of %(keys)s accounts, interleaved.
select count(*) from jobs.enqueue_batch((
  select jsonb_agg(jsonb_build_object('job_type', 'flow_probe',
                                      'payload', jsonb_build_object('account', 'k' || k)) order by n, k)
  from generate_series(1, %(per_key)s) n, generate_series(1, %(keys)s) k));
