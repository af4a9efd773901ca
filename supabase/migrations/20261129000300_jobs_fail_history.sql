-- A failed (or reaped) attempt gets its history row when it ends, like every other attempt
-- (see 20261129000100_jobs_attempts_view.sql).

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
           coalesce(e -> 'metadata', '{}') as meta
    from jsonb_array_elements(failures) e
  ), target as (
    select j.id, j.attempts, j.job_type, j.schedule_id, j.worker_id, j.started_at,
           i.error, i.timed_out, i.meta, i.counts,
           i.retryable and j.attempts < j.attempt_limit as retry,
           now() + make_interval(secs => jobs.backoff_seconds(t.backoff_base_seconds,
             t.backoff_cap_seconds, j.attempts - (j.attempt_limit - j.max_attempts), jitter, random())) as next_at
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

