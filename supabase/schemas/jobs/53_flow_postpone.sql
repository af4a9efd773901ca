-- supajobs engine, part 10c: flow control after claim (docs/flow-control.md). A handler the
-- remote side throttles postpones its job (postpone_jobs) without spending an attempt, and
-- pauses the job's bucket so the key's other jobs wait too. What the limits look like
-- (rate_limit_stats) and when an idle worker should claim again (rate_limit_wait).

-- Items: {job_id, attempt, seconds, error, key}. seconds is capped by max_postpone_seconds;
-- key (default: the job's own rate key) names the bucket of the job's type to pause; only
-- flow-limited types have buckets that claims read. The attempt is recorded as 'throttled'
-- and the attempt budget grows by one (like release_jobs). A job already postponed
-- max_postponements times fails instead, as an ordinary retryable failure.
create function jobs.postpone_jobs(worker_id text, postponements jsonb)
returns table (job_id bigint, outcome text, next_run_at timestamptz)
language plpgsql volatile security definer set search_path = '' as $$
declare
  cap double precision := (jobs._setting('max_postpone_seconds'))::double precision;
  most integer := (jobs._setting('max_postponements'))::integer;
  worn jsonb;
  failed jsonb := '[]';
  done jsonb;
begin
  if worker_id is null then
    perform jobs._raise('SJ105', 'worker_id is required');
  end if;
  if jsonb_typeof(postponements) is distinct from 'array' then
    perform jobs._raise('SJ105', 'postponements must be a JSON array of {job_id, attempt, seconds, error, key}');
  end if;
  select jsonb_agg(jsonb_build_object('job_id', j.id, 'attempt', j.attempts, 'retryable', true,
           'error', format('postponed %s times already (max_postponements); last: %s', most,
                           coalesce(nullif(e.v ->> 'error', ''), 'throttled')),
           'metadata', jsonb_build_object('throttled', true)))
    into worn
  from jsonb_array_elements(postponements) e(v)
  join jobs.jobs j on j.id = (e.v ->> 'job_id')::bigint
  where j.status = 'running' and j.worker_id = postpone_jobs.worker_id
    and (e.v ->> 'attempt' is null or j.attempts = (e.v ->> 'attempt')::integer)
    and (select count(*) from jobs.job_executions x
         where x.job_id = j.id and x.status = 'throttled') >= most;
  if worn is not null then
    select jsonb_agg(to_jsonb(f)) into failed from jobs._fail_owned(worn, worker_id) f;
  end if;

  with input as (
    select (e.v ->> 'job_id')::bigint as id, (e.v ->> 'attempt')::integer as attempt,
           left(coalesce(nullif(e.v ->> 'error', ''), 'throttled'), 10000) as error,
           least(greatest(coalesce((e.v ->> 'seconds')::double precision, 0), 0), cap) as secs,
           e.v ->> 'key' as key
    from jsonb_array_elements(postponements) e(v)
    where not exists (select 1 from jsonb_array_elements(coalesce(worn, '[]')) w(v)
                      where (w.v ->> 'job_id')::bigint = (e.v ->> 'job_id')::bigint)
  ), moved as (
    update jobs.jobs j
    set status = 'queued', attempt_limit = j.attempt_limit + 1,
        run_at = now() + make_interval(secs => i.secs), last_error = i.error,
        worker_id = null, lease_expires_at = null, timeout_at = null, updated_at = now()
    from input i
    where j.id = i.id and j.status = 'running' and j.worker_id = postpone_jobs.worker_id
      and (i.attempt is null or j.attempts = i.attempt)
    returning j.id, j.job_type, j.attempts, j.schedule_id, j.started_at, j.run_at, i.error,
              i.secs, coalesce(i.key, j.rate_key, '') as bucket_key
  ), recorded as (
    insert into jobs.job_executions (job_id, schedule_id, job_type, attempt, worker_id, status,
                                     started_at, completed_at, duration_ms, error_message,
                                     execution_metadata)
    select m.id, m.schedule_id, m.job_type, m.attempts, postpone_jobs.worker_id, 'throttled',
           m.started_at, now(), extract(epoch from now() - m.started_at) * 1000, m.error,
           jsonb_build_object('retry_after_seconds', m.secs, 'rate_key', m.bucket_key)
    from moved m
  )
  select coalesce(jsonb_agg(to_jsonb(m)), '[]') into done from moved m;

  -- Pause the buckets, in the claims' lock order (type, key): no deadlock with a claim.
  insert into jobs.rate_buckets as b (job_type, rate_key, paused_until, pause_reason, blocked_until)
  select m.job_type, m.bucket_key, max(m.run_at), left(max(m.error), 500), max(m.run_at)
  from jsonb_to_recordset(done) m(job_type text, bucket_key text, run_at timestamptz, error text,
                                  secs double precision)
  join jobs.job_types t on t.name = m.job_type and t.flow_limited
  where m.secs > 0
  group by m.job_type, m.bucket_key
  order by m.job_type, m.bucket_key
  on conflict (job_type, rate_key) do update set
    paused_until = greatest(b.paused_until, excluded.paused_until),
    pause_reason = excluded.pause_reason,
    blocked_until = greatest(b.blocked_until, excluded.blocked_until);
  perform jobs._work_due((select count(*)::integer from jsonb_to_recordset(done) m(run_at timestamptz)
                          where m.run_at <= now()));

  return query
  select (e.v ->> 'job_id')::bigint,
         coalesce(case when d.id is not null then 'postponed' end, f.outcome, 'lease_lost'),
         coalesce(d.run_at, f.next_run_at)
  from jsonb_array_elements(postponements) with ordinality e(v, n)
  left join jsonb_to_recordset(done) d(id bigint, run_at timestamptz) on d.id = (e.v ->> 'job_id')::bigint
  left join jsonb_to_recordset(failed) f(job_id bigint, outcome text, next_run_at timestamptz)
    on f.job_id = (e.v ->> 'job_id')::bigint
  order by e.n;
end
$$;

-- Seconds until the earliest blocked bucket of these types may start again (null: none is
-- blocked). A worker whose claim came back short sleeps that long before claiming again.
create function jobs.rate_limit_wait(job_types text[] default null) returns double precision
language sql stable security definer set search_path = '' as $$
  select extract(epoch from min(b.blocked_until) - clock_timestamp())::double precision
  from jobs.rate_buckets b
  where (rate_limit_wait.job_types is null or b.job_type = any(rate_limit_wait.job_types))
    and b.blocked_until > clock_timestamp()
$$;

-- Per bucket and limit: its capacity, what is used now and what remains, and any pause.
-- limit_kind 'starts': the starts within the last per_seconds; 'concurrency': running jobs.
create function jobs.rate_limit_stats()
returns table (job_type text, rate_key text, limit_kind text, capacity integer,
               per_seconds double precision, used bigint, remaining bigint,
               paused_until timestamptz, pause_reason text)
language sql stable security definer set search_path = '' as $$
  select b.job_type, b.rate_key, l.kind, l.capacity, l.per_seconds, l.used,
         greatest(l.capacity - l.used, 0), case when b.paused_until > now() then b.paused_until end,
         case when b.paused_until > now() then b.pause_reason end
  from jobs.rate_buckets b
  join jobs.job_types t on t.name = b.job_type
  cross join lateral (
    select 'starts'::text as kind, (w.v ->> 'starts')::integer as capacity,
           (w.v ->> 'per_seconds')::double precision as per_seconds,
           (select count(*) from jobs.rate_starts s
            where s.job_type = b.job_type and s.rate_key = b.rate_key
              and s.started_at > now() - make_interval(secs => (w.v ->> 'per_seconds')::double precision)) as used
    from jsonb_array_elements(coalesce(t.rate_limits, '[]')) w(v)
    union all
    select 'concurrency', t.key_concurrency, null,
           (select count(*) from jobs.jobs r where r.status = 'running' and r.job_type = b.job_type
              and coalesce(r.rate_key, '') = b.rate_key)
    where t.key_concurrency is not null) l
  order by b.job_type, b.rate_key, l.kind, l.per_seconds
$$;

grant execute on function jobs.postpone_jobs(text, jsonb) to service_role;
grant execute on function jobs.rate_limit_wait(text[]) to service_role;
grant execute on function jobs.rate_limit_stats() to service_role;
