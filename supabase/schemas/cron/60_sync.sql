-- Scheduling, part 7: keep cron.job equal to jobs.job_schedules. Every enabled schedule is one
-- cron.job named 'supajobs:<name>' running its compiled UTC expression; its command calls
-- fire_schedule with the name quoted by format('%L') -- never spliced raw.

create function jobs._cron_command(schedule_name text) returns text
language sql immutable security definer set search_path = '' as $$
  select format('select jobs.fire_schedule(%L)', schedule_name)
$$;

-- Make the cron.job of one schedule right (created, replaced or removed). Returns what it did:
-- 'created', 'updated', 'removed' or null (nothing to do / no pg_cron here).
create function jobs._cron_sync(job_name text, enabled boolean, utc_expression text,
                                command text)
returns text
language plpgsql volatile security definer set search_path = '' as $$
#variable_conflict use_variable
declare
  existing integer;
  correct integer;
begin
  if not jobs._cron_available() then
    return null;
  end if;
  select count(*), count(*) filter (where j.schedule = utc_expression and j.command = command
                                      and j.active and j.database = pg_catalog.current_database())
    into existing, correct
  from cron.job j where j.jobname = job_name;
  if enabled and existing = 1 and correct = 1 then
    return null;
  end if;
  if existing > 0 then
    perform cron.unschedule(j.jobid) from cron.job j where j.jobname = job_name;
  end if;
  if enabled then
    perform cron.schedule(job_name, utc_expression, command);
    return case when existing > 0 then 'updated' else 'created' end;
  end if;
  return case when existing > 0 then 'removed' end;
end
$$;

-- Repair: recompile every schedule (time zone rules may have changed), then make the
-- 'supajobs:' jobs of cron.job match job_schedules exactly, and the housekeeping jobs exist.
-- Idempotent; run after restores, tzdata updates or hand edits of cron.job.
create function jobs.repair_schedules() returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  s record;
  outcome text;
  recompiled integer := 0;
  counts jsonb := '{}';
  removed integer := 0;
  stale record;
begin
  for s in select * from jobs.job_schedules order by name for update loop
    declare
      c record;
    begin
      select * into c from jobs._cron_compile(s.cron_expression, s.timezone);
      if c.utc_expression is distinct from s.utc_expression or c.needs_guard <> s.needs_guard then
        update jobs.job_schedules set utc_expression = c.utc_expression, needs_guard = c.needs_guard,
                                      updated_at = now()
        where id = s.id;
        recompiled := recompiled + 1;
      end if;
      outcome := jobs._cron_sync(s.cron_job_name, s.enabled, c.utc_expression,
                                 jobs._cron_command(s.name));
      if outcome is not null then
        counts := jsonb_set(counts, array[outcome], to_jsonb(coalesce((counts ->> outcome)::integer, 0) + 1));
      end if;
    end;
  end loop;
  if jobs._cron_available() then
    -- Jobs with our prefix that no enabled schedule owns (deleted by hand, or stale).
    for stale in select j.jobid from cron.job j
                 where left(j.jobname, 9) = 'supajobs:'
                   and not exists (select 1 from jobs.job_schedules x
                                   where x.cron_job_name = j.jobname and x.enabled) loop
      perform cron.unschedule(stale.jobid);
      removed := removed + 1;
    end loop;
  end if;
  return jsonb_build_object(
    'cron_available', jobs._cron_available(),
    'recompiled', recompiled,
    'created', coalesce((counts ->> 'created')::integer, 0),
    'updated', coalesce((counts ->> 'updated')::integer, 0),
    'removed', coalesce((counts ->> 'removed')::integer, 0) + removed,
    'housekeeping_changed', jobs._ensure_hygiene_jobs());
end
$$;

grant execute on function jobs.repair_schedules() to service_role;
