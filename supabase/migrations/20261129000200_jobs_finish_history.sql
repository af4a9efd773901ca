-- Finishers write the attempt's history row (see 20261129000100_jobs_attempts_view.sql):
-- complete_jobs, release_jobs and cancel. Failures: 20261129000300_jobs_fail_history.sql.

create or replace function jobs.complete_jobs(worker_id text, completions jsonb)
returns table (job_id bigint, outcome text)
language plpgsql volatile security definer set search_path = '' as $$
#variable_conflict use_variable
declare
  done_ids bigint[];
  done_types text[];
begin
  if jsonb_typeof(completions) is distinct from 'array' then
    perform jobs._raise('SJ105', 'completions must be a JSON array of {job_id, attempt, result}');
  end if;
  with input as (
    select (e ->> 'job_id')::bigint as id, (e ->> 'attempt')::integer as attempt,
           e -> 'result' as result, coalesce(e -> 'metadata', '{}') as meta
    from jsonb_array_elements(completions) e
  ), done as (
    update jobs.jobs j
    set status = 'succeeded', result = i.result, finished_at = now(), lease_expires_at = null,
        updated_at = now()
    from input i
    where j.id = i.id and j.status = 'running' and j.worker_id = complete_jobs.worker_id
      and (i.attempt is null or j.attempts = i.attempt)
    returning j.id, j.job_type, j.attempts, j.schedule_id, j.worker_id, j.started_at, i.meta
  ), recorded as (
    insert into jobs.job_executions (job_id, schedule_id, job_type, attempt, worker_id, status,
                                     started_at, completed_at, duration_ms, execution_metadata)
    select d.id, d.schedule_id, d.job_type, d.attempts, d.worker_id, 'completed', d.started_at,
           now(), extract(epoch from now() - d.started_at) * 1000, d.meta
    from done d
  )
  select array_agg(d.id), array_agg(distinct d.job_type) into done_ids, done_types from done d;

  if done_ids is not null then
    perform jobs._release_dependents(done_ids);
    -- A success closes a type's run of consecutive failures (touch the row only if needed).
    update jobs.job_types t set consecutive_failures = 0
    where t.name = any(done_types) and t.consecutive_failures <> 0;
  end if;

  -- A join, not `= any(done_ids)` per item: that is quadratic in the batch size.
  return query
  select (e.item ->> 'job_id')::bigint,
         case when d.id is not null then 'completed' else 'lease_lost' end
  from jsonb_array_elements(completions) with ordinality e(item, n)
  left join (select distinct u.id from unnest(done_ids) u(id)) d
    on d.id = (e.item ->> 'job_id')::bigint
  order by e.n;
end
$$;

-- Give jobs back without counting an attempt (graceful shutdown). The attempt stays in the
-- history as 'released' and the attempt budget grows by one to compensate.
create or replace function jobs.release_jobs(worker_id text, job_ids bigint[])
returns table (job_id bigint, outcome text)
language plpgsql volatile security definer set search_path = '' as $$
#variable_conflict use_variable
declare
  released bigint[];
begin
  with back as (
    update jobs.jobs j
    set status = 'queued', attempt_limit = j.attempt_limit + 1, worker_id = null,
        lease_expires_at = null, timeout_at = null, run_at = now(), updated_at = now()
    where j.id = any(job_ids) and j.status = 'running' and j.worker_id = release_jobs.worker_id
    returning j.id, j.job_type, j.attempts, j.schedule_id, j.started_at
  ), recorded as (
    insert into jobs.job_executions (job_id, schedule_id, job_type, attempt, worker_id, status,
                                     started_at, completed_at, duration_ms)
    select b.id, b.schedule_id, b.job_type, b.attempts, release_jobs.worker_id, 'released',
           b.started_at, now(), extract(epoch from now() - b.started_at) * 1000
    from back b
  )
  select array_agg(b.id) into released from back b;
  perform jobs._work_due(coalesce(cardinality(released), 0));
  return query
  select i.id, case when i.id = any(coalesce(released, '{}')) then 'released' else 'lease_lost' end
  from unnest(job_ids) i(id);
end
$$;
create or replace function jobs.cancel(job_id bigint, reason text default 'cancelled by request')
returns jobs.jobs
language plpgsql volatile security definer set search_path = '' as $$
#variable_conflict use_variable
declare
  target jobs.jobs;
begin
  select * into target from jobs.jobs j where j.id = job_id for update;
  if target.id is null then
    perform jobs._raise('SJ404', format('job %s does not exist', job_id));
  end if;
  if target.status not in ('waiting', 'queued', 'running') then
    perform jobs._raise('SJ409', format('job %s is already %s', job_id, target.status));
  end if;
  if target.status = 'running' then  -- the attempt ends here: its history row
    insert into jobs.job_executions (job_id, schedule_id, job_type, attempt, worker_id, status,
                                     started_at, completed_at, duration_ms, error_message)
    values (target.id, target.schedule_id, target.job_type, target.attempts, target.worker_id,
            'cancelled', target.started_at, now(),
            extract(epoch from now() - target.started_at) * 1000, reason);
  end if;
  update jobs.jobs j set status = 'cancelled', cancel_reason = reason, finished_at = now(),
         lease_expires_at = null, updated_at = now()
  where j.id = target.id returning * into target;
  perform jobs._cancel_dependents(array[target.id]);
  return target;
end
$$;

