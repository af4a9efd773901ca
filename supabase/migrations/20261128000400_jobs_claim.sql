-- Claim: hand out up to batch_size due jobs with a lease, atomically, never twice.
-- Each claimed attempt gets its job_executions row in the same statement.

-- Running jobs: few (bounded by the workers' capacity). One index serves both the reaper
-- (by lease) and the per-type running counts of concurrency-limited claims.
create index jobs_lease_idx on jobs.jobs (lease_expires_at) where status = 'running';

-- Expired leases: the worker died or the job outlived its timeout. The attempt is recorded as
-- failed (or timed_out) and retried or dead-lettered like any failure. A timeout counts
-- against the job type's breakers; a dead worker (lease_expired in the metadata) does not.
create function jobs._reap_expired(max_jobs integer default 100) returns integer
language plpgsql volatile as $$
declare
  failures jsonb;
begin
  select jsonb_agg(jsonb_build_object(
           'job_id', j.id, 'attempt', j.attempts, 'retryable', true,
           'timed_out', j.timeout_at <= now(), 'counts', j.timeout_at <= now(),
           'metadata', case when j.timeout_at > now() then '{"lease_expired": true}'::jsonb
                            else '{}'::jsonb end,
           'error', case when j.timeout_at <= now()
                         then format('timed out after %s s', j.timeout_seconds)
                         else format('lease expired: worker %s stopped heartbeating', j.worker_id) end))
    into failures
  from (select j.* from jobs.jobs j
        where j.status = 'running' and j.lease_expires_at < now()
        order by j.lease_expires_at limit max_jobs
        for update skip locked) j;
  if failures is null then
    return 0;
  end if;
  perform jobs._fail_owned(failures, null);
  return jsonb_array_length(failures);
end
$$;

create function jobs.claim(worker_id text, job_types text[] default null,
                           batch_size integer default 1, lease_seconds integer default null)
returns setof jobs.jobs
language plpgsql volatile security definer set search_path = '' as $$
#variable_conflict use_variable
declare
  lease interval;
  paused text[];
  limited text[];
  slots jsonb;
  picked bigint[];
begin
  if worker_id is null or length(worker_id) not between 1 and 200 then
    perform jobs._raise('SJ105', 'worker_id must be a string of 1 to 200 characters');
  end if;
  if batch_size is null or batch_size not between 1 and 1000 then
    perform jobs._raise('SJ105', format('batch_size must be from 1 to 1000, got %s', coalesce(batch_size::text, 'null')));
  end if;
  lease := make_interval(secs => coalesce(lease_seconds, (jobs._setting('default_lease_seconds'))::integer));
  if exists (select 1 from jobs.jobs j where j.status = 'running' and j.lease_expires_at < now()) then
    perform jobs._reap_expired();  -- a worker died or a job outlived its timeout
  end if;

  paused := array(select substr(b.scope, 6) from jobs.circuit_breakers b where b.scope like 'type:%');
  if exists (select 1 from jobs.circuit_breakers b where b.scope = 'global') then
    -- The global breaker is open: only types that must still get out (alerts) are handed out.
    paused := paused || array(select t.name from jobs.job_types t where not t.bypass_breakers);
  end if;
  limited := array(select t.name from jobs.job_types t
                   where t.concurrency_limit is not null and t.name <> all(paused)
                     and (job_types is null or t.name = any(job_types))
                   order by t.name);

  if cardinality(limited) > 0 then
    -- Concurrency-limited types: serialise their claimers on the type row, then count.
    perform 1 from jobs.job_types t where t.name = any(limited) order by t.name for update;
    select jsonb_object_agg(t.name, t.concurrency_limit - coalesce(r.running, 0)) into slots
    from jobs.job_types t
    left join (select j.job_type, count(*) as running from jobs.jobs j
               where j.status = 'running' and j.job_type = any(limited) group by j.job_type) r
      on r.job_type = t.name
    where t.name = any(limited);
    paused := paused || array(select key from jsonb_each_text(slots) where value::integer <= 0);
  end if;

  picked := array(
    select j.id from jobs.jobs j
    where j.status = 'queued' and j.run_at <= now()
      and (job_types is null or j.job_type = any(job_types))
      and j.job_type <> all(paused)
    order by j.priority, j.run_at, j.id
    limit batch_size
    for update skip locked);
  if slots is not null then
    -- Keep, per limited type, only as many as it has free slots (in claim order).
    picked := array(
      select c.id from (
        select j.id, j.job_type, row_number() over (partition by j.job_type
                 order by j.priority, j.run_at, j.id) as n, j.priority, j.run_at
        from jobs.jobs j where j.id = any(picked)) c
      where c.n <= coalesce((slots ->> c.job_type)::integer, batch_size)
      order by c.priority, c.run_at, c.id);
  end if;
  if cardinality(picked) = 0 then
    return;
  end if;

  return query
  with claimed as (
    update jobs.jobs j
    set status = 'running', attempts = j.attempts + 1, worker_id = claim.worker_id,
        started_at = now(), timeout_at = now() + make_interval(secs => j.timeout_seconds),
        lease_expires_at = least(now() + lease, now() + make_interval(secs => j.timeout_seconds)),
        updated_at = now()
    where j.id = any(picked)
    returning j.*
  ), recorded as (
    insert into jobs.job_executions (job_id, schedule_id, job_type, attempt, worker_id, status, started_at)
    select c.id, c.schedule_id, c.job_type, c.attempts, c.worker_id, 'running', now() from claimed c
  )
  select c.* from claimed c order by c.priority, c.run_at, c.id;
end
$$;

-- Extend the leases of jobs this worker still holds; report the others so it can stop them.
create function jobs.heartbeat(worker_id text, job_ids bigint[], lease_seconds integer default null)
returns table (job_id bigint, status text, lease_expires_at timestamptz)
language plpgsql volatile security definer set search_path = '' as $$
#variable_conflict use_variable
declare
  lease interval := make_interval(secs => coalesce(lease_seconds, (jobs._setting('default_lease_seconds'))::integer));
begin
  return query
  with extended as (
    update jobs.jobs j
    set lease_expires_at = least(now() + lease, j.timeout_at), updated_at = now()
    where j.id = any(job_ids) and j.status = 'running' and j.worker_id = heartbeat.worker_id
    returning j.id, j.lease_expires_at
  )
  select i.id, case when e.id is not null then 'running'
                    when j.id is null then 'missing'
                    when j.status = 'cancelled' then 'cancelled'
                    else 'lost' end,
         e.lease_expires_at
  from unnest(job_ids) i(id)
  left join extended e on e.id = i.id
  left join jobs.jobs j on j.id = i.id;
end
$$;
