-- Scheduling, part 6: hygiene. The sweeper (jobs.sweep, every minute, or every 10 s where
-- pg_cron knows seconds) and the retention job (jobs.prune_history, daily).

create function jobs._cron_available() returns boolean
language sql stable security definer set search_path = '' as $$
  select to_regnamespace('cron') is not null and to_regclass('cron.job') is not null
$$;

-- The installed pg_cron's version ({1,6}), null without it. Everything that depends on the
-- version asks here, so a test can replace this one function in a scratch database.
create function jobs._pg_cron_version() returns integer[]
language sql stable security definer set search_path = '' as $$
  select string_to_array(split_part(e.extversion, '-', 1), '.')::integer[]
  from pg_catalog.pg_extension e where e.extname = 'pg_cron'
$$;

-- pg_cron 1.5 added second-level schedules ('10 seconds') and `$` (last day of the month);
-- 1.4 (Debian) has minutes only and no `$`. Supabase runs 1.6.
create function jobs._cron_has_seconds() returns boolean
language sql stable security definer set search_path = '' as $$
  select coalesce(jobs._pg_cron_version() >= '{1,5}', false)
$$;

-- Delete cron.job_run_details and finished job_executions older than the retention
-- (days; null = the setting). Rows of attempts still running are never touched.
create function jobs.prune_history(run_details_days integer default null,
                                   executions_days integer default null)
returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
#variable_conflict use_variable
declare
  details_keep integer := coalesce(run_details_days,
                                   (jobs._setting('retention.cron_run_details_days'))::integer, 7);
  executions_keep integer := coalesce(executions_days,
                                      (jobs._setting('retention.job_executions_days'))::integer, 90);
  details_deleted bigint := 0;
  executions_deleted bigint := 0;
begin
  if details_keep < 0 or executions_keep < 0 then
    perform jobs._raise('SJ105', format('retention days must be >= 0, got run_details_days=%s, executions_days=%s',
                                        details_keep, executions_keep));
  end if;
  if jobs._cron_available() then
    delete from cron.job_run_details r
    where coalesce(r.end_time, r.start_time) < now() - make_interval(days => details_keep);
    get diagnostics details_deleted = row_count;
  end if;
  delete from jobs.job_executions e
  where e.status <> 'running'
    and coalesce(e.completed_at, e.started_at) < now() - make_interval(days => executions_keep);
  get diagnostics executions_deleted = row_count;
  return jsonb_build_object('cron_job_run_details', details_deleted,
                            'job_executions', executions_deleted,
                            'run_details_days', details_keep, 'executions_days', executions_keep);
end
$$;

-- (Re)create the two housekeeping pg_cron jobs when they are missing or differ.
create function jobs._ensure_hygiene_jobs() returns integer
language plpgsql volatile security definer set search_path = '' as $$
declare
  wanted record;
  changed integer := 0;
begin
  if not jobs._cron_available() then
    return 0;
  end if;
  for wanted in
    select * from (values
      ('supajobs-sweeper', case when jobs._cron_has_seconds() then '10 seconds' else '* * * * *' end,
       'select jobs.sweep()'),
      ('supajobs-retention', coalesce(jobs._setting('cron.retention_schedule') #>> '{}', '17 3 * * *'),
       'select jobs.prune_history()')) v(jobname, schedule, command)
  loop
    if not exists (select 1 from cron.job j
                   where j.jobname = wanted.jobname and j.schedule = wanted.schedule
                     and j.command = wanted.command and j.active
                     and j.database = pg_catalog.current_database()) then
      perform cron.unschedule(j.jobid) from cron.job j where j.jobname = wanted.jobname;
      perform cron.schedule(wanted.jobname, wanted.schedule, wanted.command);
      changed := changed + 1;
    end if;
  end loop;
  return changed;
end
$$;

grant execute on function jobs.prune_history(integer, integer) to service_role;
