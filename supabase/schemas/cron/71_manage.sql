-- Scheduling, part 9: enable, disable, delete, read.

create function jobs._schedule_or_raise(name text) returns jobs.job_schedules
language plpgsql stable security definer set search_path = '' as $$
#variable_conflict use_variable
declare
  found_row jobs.job_schedules;
begin
  select * into found_row from jobs.job_schedules s where s.name = name;
  if not found then
    perform jobs._raise('SJ404', format('schedule %s does not exist', coalesce(quote_literal(name), 'null')));
  end if;
  return found_row;
end
$$;

-- Disabling removes the cron.job; enabling recreates it.
create function jobs.set_schedule_enabled(name text, enabled boolean) returns jobs.job_schedules
language plpgsql volatile security definer set search_path = '' as $$
#variable_conflict use_variable
declare
  saved jobs.job_schedules;
begin
  perform jobs._schedule_or_raise(name);
  if enabled is null then
    perform jobs._raise('SJ105', 'enabled must be true or false');
  end if;
  update jobs.job_schedules s set enabled = enabled, updated_at = now()
  where s.name = name returning s.* into saved;
  perform jobs._cron_sync(saved.cron_job_name, saved.enabled, saved.utc_expression,
                          jobs._cron_command(saved.name));
  return saved;
end
$$;

create function jobs.enable_schedule(name text) returns jobs.job_schedules
language sql volatile security definer set search_path = '' as $$
  select * from jobs.set_schedule_enabled(enable_schedule.name, true)
$$;

create function jobs.disable_schedule(name text) returns jobs.job_schedules
language sql volatile security definer set search_path = '' as $$
  select * from jobs.set_schedule_enabled(disable_schedule.name, false)
$$;

-- Delete a schedule and its cron.job. Jobs it created keep running (schedule_id set null).
create function jobs.delete_schedule(name text) returns boolean
language plpgsql volatile security definer set search_path = '' as $$
#variable_conflict use_variable
declare
  gone jobs.job_schedules;
begin
  delete from jobs.job_schedules s where s.name = name returning s.* into gone;
  if not found then
    perform jobs._raise('SJ404', format('schedule %s does not exist', coalesce(quote_literal(name), 'null')));
  end if;
  perform jobs._cron_sync(gone.cron_job_name, false, gone.utc_expression, null);
  return true;
end
$$;

create function jobs.get_schedule(name text) returns jobs.job_schedules
language sql stable security definer set search_path = '' as $$
  select * from jobs._schedule_or_raise(get_schedule.name)
$$;

create function jobs.list_schedules() returns setof jobs.job_schedules
language sql stable security definer set search_path = '' as $$
  select * from jobs.job_schedules order by name
$$;

-- Latest executions of a schedule: attempts of the jobs it created (the running ones
-- included) and its skipped fires.
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

grant execute on function jobs.set_schedule_enabled(text, boolean) to service_role;
grant execute on function jobs.enable_schedule(text) to service_role;
grant execute on function jobs.disable_schedule(text) to service_role;
grant execute on function jobs.delete_schedule(text) to service_role;
grant execute on function jobs.get_schedule(text) to service_role;
grant execute on function jobs.list_schedules() to service_role;
grant execute on function jobs.schedule_executions(text, integer) to service_role;
