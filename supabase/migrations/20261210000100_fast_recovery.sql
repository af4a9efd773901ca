-- Recovery within seconds with the default set-up (issue 20, part 3; docs/reliability.md):
-- an attempt whose worker died (its lease ran out before its timeout) is due again at once
-- instead of after the type's backoff, and every heartbeat (idle workers beat too) first reaps
-- the leases that ran out, so no claim and no pg_cron sweep is needed to bring them back.

create or replace function jobs._fail_owned(failures jsonb, owner text)
returns table (job_id bigint, outcome text, next_run_at timestamptz)
language plpgsql volatile as $$
#variable_conflict use_column
declare
  jitter double precision := (jobs._setting('backoff_jitter'))::double precision;
  dead_ids bigint[];
  failed_types jsonb;
  failed jsonb;
begin
  with input as (
    select (e ->> 'job_id')::bigint as id, (e ->> 'attempt')::integer as attempt,
           left(coalesce(e ->> 'error', 'unknown error'), 10000) as error,
           coalesce((e ->> 'retryable')::boolean, true) as retryable,
           coalesce((e ->> 'timed_out')::boolean, false) as timed_out,
           -- a worker that died is not the job type's fault: such attempts trip no breaker
           coalesce((e ->> 'counts')::boolean, true) as counts,
           -- ... nor a reason to wait: its retry is due at once (recovery within seconds)
           coalesce((e ->> 'immediate')::boolean, false) as immediate,
           coalesce(e -> 'metadata', '{}') as meta
    from jsonb_array_elements(failures) e
  ), target as (
    select j.id, j.attempts, j.job_type, j.schedule_id, j.worker_id, j.started_at,
           i.error, i.timed_out, i.meta, i.counts,
           i.retryable and j.attempts < j.attempt_limit as retry,
           case when i.immediate then now()
                else now() + make_interval(secs => jobs.backoff_seconds(t.backoff_base_seconds,
                  t.backoff_cap_seconds, j.attempts - (j.attempt_limit - j.max_attempts), jitter,
                  random())) end as next_at
    from input i
    join jobs.jobs j on j.id = i.id
    join jobs.job_types t on t.name = j.job_type
    where j.status = 'running' and (owner is null or j.worker_id = owner)
      and (i.attempt is null or j.attempts = i.attempt)
  ), changed as (
    update jobs.jobs j
    set status = case when t.retry then 'queued' else 'dead' end::jobs.job_status,
        run_at = case when t.retry then t.next_at else j.run_at end,
        finished_at = case when t.retry then null else now() end,
        last_error = t.error, worker_id = null, lease_expires_at = null, timeout_at = null,
        updated_at = now()
    from target t where j.id = t.id
    returning j.id, j.job_type, t.retry, t.next_at, t.counts
  ), recorded as (
    insert into jobs.job_executions (job_id, schedule_id, job_type, attempt, worker_id, status,
                                     started_at, completed_at, duration_ms, error_message,
                                     execution_metadata)
    select t.id, t.schedule_id, t.job_type, t.attempts, t.worker_id,
           case when t.timed_out then 'timed_out' else 'failed' end, t.started_at, now(),
           extract(epoch from now() - t.started_at) * 1000, t.error, t.meta
    from target t join changed c on c.id = t.id
  )
  select coalesce(jsonb_agg(jsonb_build_object('id', c.id, 'job_type', c.job_type, 'counts', c.counts,
           'outcome', case when c.retry then 'retry_scheduled' else 'dead' end,
           'next_run_at', case when c.retry then c.next_at end)), '[]')
    into failed
  from changed c;

  dead_ids := array(select f.id from jsonb_populate_recordset(null::jobs._failure, failed) f where f.outcome = 'dead');
  if cardinality(dead_ids) > 0 then
    perform jobs._cancel_dependents(dead_ids);
  end if;
  select jsonb_object_agg(f.job_type, f.n) into failed_types
  from (select f.job_type, count(*) as n from jsonb_populate_recordset(null::jobs._failure, failed) f
        where f.counts group by f.job_type) f;
  if failed_types is not null then
    perform jobs._count_failures(failed_types);
  end if;
  perform jobs._work_due((select count(*)::integer from jsonb_populate_recordset(null::jobs._failure, failed) f
                          where f.outcome = 'retry_scheduled' and f.next_run_at <= now()));

  return query
  select (e ->> 'job_id')::bigint, coalesce(f.outcome, 'lease_lost'), f.next_run_at
  from jsonb_array_elements(failures) e
  left join jsonb_populate_recordset(null::jobs._failure, failed) f on f.id = (e ->> 'job_id')::bigint;
end
$$;

create or replace function jobs._reap_expired(max_jobs integer default 100) returns integer
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

create or replace function jobs.heartbeat(worker_id text, job_ids bigint[], lease_seconds integer default null)
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
