-- supajobs engine, part 16: inspection and operator actions: get, history, cancel, dead
-- letters (list, requeue, purge).

create function jobs.get_job(job_id bigint) returns jobs.jobs
language plpgsql stable security definer set search_path = '' as $$
#variable_conflict use_variable
declare
  found jobs.jobs;
begin
  select * into found from jobs.jobs j where j.id = job_id;
  if found.id is null then
    perform jobs._raise('SJ404', format('job %s does not exist', job_id));
  end if;
  return found;
end
$$;

create or replace function jobs.job_history(job_id bigint) returns setof jobs.job_executions
language sql stable security definer set search_path = '' as $$
  select * from jobs.job_attempts x where x.job_id = job_history.job_id order by x.attempt
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

create function jobs.list_dead_letters(max_rows integer default 100, job_type text default null)
returns setof jobs.dead_letters
language sql stable security definer set search_path = '' as $$
  select * from jobs.dead_letters d
  where list_dead_letters.job_type is null or d.job_type = list_dead_letters.job_type
  order by d.died_at desc, d.id desc limit max_rows
$$;

-- A dead letter goes back to the queue with a fresh attempt budget; jobs that were cancelled
-- because it died wait for it again.
create function jobs.requeue_dead(job_id bigint) returns jobs.jobs
language plpgsql volatile security definer set search_path = '' as $$
#variable_conflict use_variable
declare
  target jobs.jobs;
begin
  update jobs.jobs j
  set status = 'queued', attempt_limit = j.attempts + j.max_attempts, run_at = now(),
      finished_at = null, updated_at = now()
  where j.id = job_id and j.status = 'dead'
  returning * into target;
  if target.id is null then
    perform jobs._raise(case when exists (select 1 from jobs.jobs j where j.id = job_id) then 'SJ409' else 'SJ404' end,
      format('job %s is not a dead letter', job_id));
  end if;
  perform jobs._revive_dependents(array[target.id]);
  perform jobs._work_due(1);
  return target;
end
$$;

-- Jobs are deleted only here, and their history with them (job_executions has no foreign key
-- that would cascade: 12_history.sql).
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

grant execute on function jobs.get_job(bigint) to service_role;
grant execute on function jobs.job_history(bigint) to service_role;
grant execute on function jobs.cancel(bigint, text) to service_role;
grant execute on function jobs.list_dead_letters(integer, text) to service_role;
grant execute on function jobs.requeue_dead(bigint) to service_role;
grant execute on function jobs.purge_dead_letters(interval) to service_role;
