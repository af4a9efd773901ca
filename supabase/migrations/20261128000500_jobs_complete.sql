-- Complete and release. Batches first: one statement per batch, whatever its size.
-- Only the worker holding the lease of that very attempt may finish it; anything else is
-- reported back as 'lease_lost' (the job was reclaimed, cancelled or finished meanwhile).

create function jobs.complete_jobs(worker_id text, completions jsonb)
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
    returning j.id, j.job_type, j.attempts, i.meta
  ), recorded as (
    update jobs.job_executions x
    set status = 'completed', completed_at = now(),
        duration_ms = extract(epoch from now() - x.started_at) * 1000,
        execution_metadata = x.execution_metadata || d.meta
    from done d
    where x.job_id = d.id and x.attempt = d.attempts
  )
  select array_agg(d.id), array_agg(distinct d.job_type) into done_ids, done_types from done d;

  if done_ids is not null then
    perform jobs._release_dependents(done_ids);
    -- A success closes a type's run of consecutive failures (touch the row only if needed).
    update jobs.job_types t set consecutive_failures = 0
    where t.name = any(done_types) and t.consecutive_failures <> 0;
  end if;

  return query
  select (e ->> 'job_id')::bigint,
         case when (e ->> 'job_id')::bigint = any(coalesce(done_ids, '{}')) then 'completed' else 'lease_lost' end
  from jsonb_array_elements(completions) e;
end
$$;

create function jobs.complete(worker_id text, job_id bigint, result jsonb default null,
                              attempt integer default null, metadata jsonb default null)
returns jobs.jobs
language plpgsql volatile security definer set search_path = '' as $$
#variable_conflict use_variable
declare
  outcome text;
  saved jobs.jobs;
begin
  select c.outcome into outcome from jobs.complete_jobs(worker_id, jsonb_build_array(jsonb_build_object(
    'job_id', job_id, 'attempt', attempt, 'result', result, 'metadata', coalesce(metadata, '{}')))) c;
  select * into saved from jobs.jobs j where j.id = job_id;
  if outcome <> 'completed' then
    perform jobs._raise(case when saved.id is null then 'SJ404' else 'SJ409' end,
      case when saved.id is null then format('job %s does not exist', job_id)
           else format('job %s is not leased by worker %s (status %s): the lease was lost', job_id, worker_id, saved.status) end);
  end if;
  return saved;
end
$$;

-- Give jobs back without counting an attempt (graceful shutdown). The attempt stays in the
-- history as 'released' and the attempt budget grows by one to compensate.
create function jobs.release_jobs(worker_id text, job_ids bigint[])
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
    returning j.id, j.attempts
  ), recorded as (
    update jobs.job_executions x
    set status = 'released', completed_at = now(),
        duration_ms = extract(epoch from now() - x.started_at) * 1000
    from back b where x.job_id = b.id and x.attempt = b.attempts
  )
  select array_agg(b.id) into released from back b;
  perform jobs._work_due(coalesce(cardinality(released), 0));
  return query
  select i.id, case when i.id = any(coalesce(released, '{}')) then 'released' else 'lease_lost' end
  from unnest(job_ids) i(id);
end
$$;
