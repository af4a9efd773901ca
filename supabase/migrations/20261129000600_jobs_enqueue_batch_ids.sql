-- enqueue_batch_ids(): enqueue_batch for bulk loads that need only the new jobs' ids, in
-- input order. The client then reads one column per job instead of the whole row (the SDK's
-- enqueue_many_ids; docs/benchmarks.md measures the difference).

create function jobs.enqueue_batch_ids(items jsonb) returns table (id bigint)
language sql volatile security definer set search_path = '' as $$
  select b.id from jobs.enqueue_batch(enqueue_batch_ids.items) b
$$;

select jobs._secure_schema();
