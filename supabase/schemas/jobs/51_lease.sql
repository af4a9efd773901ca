-- supajobs engine, part 11: leases. Workers extend them while they run a job; an expired one
-- is reaped by the next heartbeat or claim of any worker, or by the sweeper.

-- Expired leases: the worker died or the job outlived its timeout. The attempt is recorded as
-- failed (or timed_out) and retried or dead-lettered like any failure. A timeout counts
-- against the job type's breakers and waits its backoff; a dead worker (lease_expired in the
-- metadata) does neither: the job did nothing wrong, so it is due again at once (the attempt
-- still counts, so a job that kills every worker still ends in the dead letters).
create function jobs._reap_expired(max_jobs integer default 100) returns integer
language plpgsql volatile as $$
declare
  failures jsonb;
begin
  select jsonb_agg(jsonb_build_object(
           'job_id', j.id, 'attempt', j.attempts, 'retryable', true,
           'timed_out', j.timeout_at <= now(), 'counts', j.timeout_at <= now(),
           'immediate', j.timeout_at > now(),
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

-- Extend the leases of jobs this worker still holds; report the others so it can stop them.
-- Live workers beat every few seconds, idle ones too (with no ids): each beat first reaps
-- the leases that ran out, so a dead worker's jobs come back within a beat of their lease's
-- end, without waiting for a claim or the pg_cron sweeper (docs/reliability.md).
create function jobs.heartbeat(worker_id text, job_ids bigint[], lease_seconds integer default null)
returns table (job_id bigint, status text, lease_expires_at timestamptz)
language plpgsql volatile security definer set search_path = '' as $$
#variable_conflict use_variable
declare
  lease interval := make_interval(secs => coalesce(lease_seconds, (jobs._setting('default_lease_seconds'))::integer));
begin
  if exists (select 1 from jobs.jobs j where j.status = 'running' and j.lease_expires_at < now()) then
    perform jobs._reap_expired();
  end if;
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

grant execute on function jobs.heartbeat(text, bigint[], integer) to service_role;
