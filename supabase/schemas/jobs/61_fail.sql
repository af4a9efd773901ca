-- supajobs engine, part 13: failure. Record the attempt (its history row), then retry with
-- backoff or move the job to the dead letters. Shared by fail_jobs() (the worker reports)
-- and _reap_expired() (the lease ran out).

create type jobs._failure as (id bigint, job_type text, outcome text, next_run_at timestamptz,
                              counts boolean);

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

create function jobs.fail_jobs(worker_id text, failures jsonb)
returns table (job_id bigint, outcome text, next_run_at timestamptz)
language plpgsql volatile security definer set search_path = '' as $$
begin
  if worker_id is null then
    perform jobs._raise('SJ105', 'worker_id is required');
  end if;
  if jsonb_typeof(failures) is distinct from 'array' then
    perform jobs._raise('SJ105', 'failures must be a JSON array of {job_id, attempt, error, retryable}');
  end if;
  return query select * from jobs._fail_owned(failures, worker_id);
end
$$;

create function jobs.fail(worker_id text, job_id bigint, error text, retryable boolean default true,
                          attempt integer default null, timed_out boolean default false,
                          metadata jsonb default null)
returns jobs.jobs
language plpgsql volatile security definer set search_path = '' as $$
#variable_conflict use_variable
declare
  result record;
  saved jobs.jobs;
begin
  select * into result from jobs.fail_jobs(worker_id, jsonb_build_array(jsonb_build_object(
    'job_id', job_id, 'attempt', attempt, 'error', error, 'retryable', retryable,
    'timed_out', timed_out, 'metadata', coalesce(metadata, '{}')))) f;
  if result.outcome = 'lease_lost' then
    perform jobs._raise(case when exists (select 1 from jobs.jobs j where j.id = fail.job_id)
                             then 'SJ409' else 'SJ404' end,
      format('job %s is not leased by worker %s: the lease was lost or the job does not exist', job_id, worker_id));
  end if;
  select * into saved from jobs.jobs j where j.id = fail.job_id;
  return saved;
end
$$;

grant execute on function jobs.fail_jobs(text, jsonb) to service_role;
grant execute on function jobs.fail(text, bigint, text, boolean, integer, boolean, jsonb)
  to service_role;
