-- supajobs engine, part 12: complete and release. Batches first: one statement per batch,
-- whatever its size. Only the worker holding the lease of that very attempt may finish it;
-- anything else is reported back as 'lease_lost' (the job was reclaimed, cancelled or
-- finished meanwhile). Each finisher writes the attempt's history row.

-- complete_jobs (docs/decisions.md, "Lean completion"): the planner could reach the finished
-- jobs through jobs_lease_idx, whose entries for jobs that finished since the last VACUUM it
-- still visits (a cost that grows with every job done until autovacuum runs); it probes the
-- primary key instead.
create or replace function jobs.complete_jobs(worker_id text, completions jsonb)
returns table (job_id bigint, outcome text)
language plpgsql volatile security definer set search_path = ''
-- Statistics lag a busy queue (a table ANALYZEd when it held ten jobs may hold 100,000):
-- without this, the planner may read the whole table to find a batch's hundred rows.
set enable_seqscan = off as $$
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
    -- status compared as text on purpose: it keeps the planner on the primary key (one probe
    -- per job) instead of scanning jobs_lease_idx, whose dead entries pile up between vacuums.
    where j.id = i.id and j.status::text = 'running' and j.worker_id = complete_jobs.worker_id
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

grant execute on function jobs.complete_jobs(text, jsonb) to service_role;
grant execute on function jobs.complete(text, bigint, jsonb, integer, jsonb) to service_role;
grant execute on function jobs.release_jobs(text, bigint[]) to service_role;
