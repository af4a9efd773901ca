-- Completing a batch, third version (docs/decisions.md, "Lean completion"). Measured on a
-- 100-job batch (docs/benchmarks.md): the foreign key job_executions.job_id -> jobs.jobs ran
-- one RI lookup per history row (a quarter of complete_jobs' time), and the planner reached
-- the finished jobs through jobs_lease_idx, whose entries for jobs that finished since the
-- last VACUUM it still visits (a cost that grows with every job done until autovacuum runs).

-- History rows are written only by this schema's own functions, always for a job they have
-- just locked, so the insert-time check bought nothing. What it also did, deleting a job's
-- history with the job, purge_dead_letters() now does itself (the only place jobs are deleted).
alter table jobs.job_executions drop constraint job_executions_job_id_fkey;

create or replace function jobs.purge_dead_letters(older_than interval default null) returns integer
language plpgsql volatile security definer set search_path = '' as $$
declare
  purged integer;
begin
  with gone as (
    delete from jobs.jobs j
    where j.status = 'dead' and (older_than is null or j.finished_at < now() - older_than)
    returning j.id
  ), history as (
    delete from jobs.job_executions e using gone g where e.job_id = g.id
  )
  select count(*) into purged from gone;
  return purged;
end
$$;

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

select jobs._secure_schema();
