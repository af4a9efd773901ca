-- supajobs engine, part 18: read-only RPCs the operators' dashboard needs.

-- Attempts that finished, per time bucket: the throughput and failure-rate chart.
create or replace function jobs.execution_timeline(bucket_seconds integer default 300,
                                                   window_seconds integer default 21600)
returns table (bucket_start timestamptz, completed bigint, failed bigint, timed_out bigint)
language plpgsql stable security definer set search_path = '' as $$
#variable_conflict use_variable
declare
  bucket interval;
  first_bucket timestamptz;
begin
  if bucket_seconds is null or bucket_seconds not between 10 and 86400 then
    perform jobs._raise('SJ105', 'bucket_seconds must be an integer from 10 to 86400');
  end if;
  if window_seconds is null or window_seconds not between bucket_seconds and 2592000 then
    perform jobs._raise('SJ105', 'window_seconds must be from bucket_seconds to 2592000 (30 days)');
  end if;
  bucket := make_interval(secs => bucket_seconds);
  first_bucket := to_timestamp(floor(extract(epoch from now() - make_interval(secs => window_seconds))
                              / bucket_seconds) * bucket_seconds);
  return query
  select b.start, count(x.id) filter (where x.status = 'completed'),
         count(x.id) filter (where x.status = 'failed'),
         count(x.id) filter (where x.status = 'timed_out')
  from generate_series(first_bucket, now(), bucket) as b(start)
  left join jobs.job_executions x
    on x.completed_at >= b.start and x.completed_at < b.start + bucket
   and x.started_at >= first_bucket - interval '2 hours'  -- lets the started_at index bound it
   and x.status in ('completed', 'failed', 'timed_out')
  group by b.start
  order by b.start;
end
$$;

-- The latest attempts of any job (the running ones included), newest first.
create or replace function jobs.recent_executions(max_rows integer default 50)
returns setof jobs.job_executions
language sql stable security definer set search_path = '' as $$
  select * from jobs.job_attempts x
  order by x.started_at desc, x.id
  limit least(greatest(coalesce(max_rows, 50), 1), 500)
$$;

grant execute on function jobs.execution_timeline(integer, integer) to service_role;
grant execute on function jobs.recent_executions(integer) to service_role;
