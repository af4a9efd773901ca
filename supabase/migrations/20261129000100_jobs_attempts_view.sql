-- The history row of an attempt is written when the attempt ends (complete, fail, reap,
-- release, cancel), not when it is claimed: the claim is on every worker's critical path, the
-- finish is batched off it (docs/decisions.md, "History rows are written when an attempt
-- ends"). Readers see the attempt that is still running through jobs.job_attempts.

-- Attempts claimed by the previous version still have their 'running' row; the finishers now
-- insert the row, so those go (the running job itself carries everything they held).
delete from jobs.job_executions x
using jobs.jobs j
where x.status = 'running' and x.job_id = j.id and x.attempt = j.attempts
  and j.status = 'running';

-- Every attempt: the finished ones, and the running attempt of each running job (its id is
-- derived from job and attempt, so it is stable while the attempt runs).
create view jobs.job_attempts with (security_invoker = true) as
  select x.id, x.job_id, x.schedule_id, x.job_type, x.attempt, x.worker_id, x.status,
         x.started_at, x.completed_at, x.duration_ms, x.error_message, x.execution_metadata
  from jobs.job_executions x
  union all
  select md5(j.id::text || '/' || j.attempts::text)::uuid, j.id, j.schedule_id, j.job_type,
         j.attempts, j.worker_id, 'running'::text, j.started_at, null::timestamptz,
         null::double precision, null::text, '{}'::jsonb
  from jobs.jobs j
  where j.status = 'running';  -- its row is written when it ends (the delete above cleared old ones)

create or replace function jobs.job_history(job_id bigint) returns setof jobs.job_executions
language sql stable security definer set search_path = '' as $$
  select * from jobs.job_attempts x where x.job_id = job_history.job_id order by x.attempt
$$;

create or replace function jobs.recent_executions(max_rows integer default 50)
returns setof jobs.job_executions
language sql stable security definer set search_path = '' as $$
  select * from jobs.job_attempts x
  order by x.started_at desc, x.id
  limit least(greatest(coalesce(max_rows, 50), 1), 500)
$$;

create or replace function jobs.schedule_executions(name text, max_rows integer default 50)
returns setof jobs.job_executions
language plpgsql stable security definer set search_path = '' as $$
#variable_conflict use_variable
declare
  sched jobs.job_schedules := jobs._schedule_or_raise(name);
begin
  if max_rows is null or max_rows not between 1 and 10000 then
    perform jobs._raise('SJ105', format('max_rows must be from 1 to 10000, got %s', coalesce(max_rows::text, 'null')));
  end if;
  return query
    select e.* from jobs.job_attempts e
    where e.schedule_id = sched.id
       or e.job_id in (select j.id from jobs.jobs j where j.schedule_id = sched.id)
    order by e.started_at desc, e.id
    limit max_rows;
end
$$;

select jobs._secure_schema();
