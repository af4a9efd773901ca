-- Scheduling, part 10: firing. pg_cron calls fire_schedule(name) at the compiled UTC times;
-- tests inject `at`. The job is created by the queue's own enqueue path.

-- Create the job of one fire. overlap 'queue' makes it wait on the active run (it is
-- released when that run succeeds, cancelled with the reason if it dies).
create function jobs._schedule_job(s jobs.job_schedules, wait_for bigint, idempotency_key text)
returns jobs.jobs
language plpgsql volatile security definer set search_path = '' as $$
declare
  created jobs.jobs;
begin
  select * into created from jobs._enqueue_items(jsonb_build_array(jsonb_build_object(
    'job_type', s.job_type, 'payload', s.payload, 'priority', s.priority,
    'idempotency_key', idempotency_key, 'schedule_id', s.id,
    'depends_on', case when wait_for is null then '[]'::jsonb else jsonb_build_array(wait_for) end)),
    true);
  update jobs.job_schedules x set last_fired_at = now(), last_job_id = created.id
  where x.id = s.id;
  return created;
end
$$;

-- One fire. Returns the job created (or the existing one, if this minute already fired), or
-- null when nothing was created: disabled, not a real fire time (guard), or skipped.
create function jobs.fire_schedule(name text, at timestamptz default null) returns jobs.jobs
language plpgsql volatile security definer set search_path = '' as $$
#variable_conflict use_variable
declare
  s jobs.job_schedules;
  fire_at timestamptz := date_trunc('minute', coalesce(at, now()));
  active jobs.jobs;
  fire_key text;
begin
  -- The row lock serialises fires of one schedule, so the overlap check cannot race.
  select * into s from jobs.job_schedules x where x.name = name for update;
  if not found then
    perform jobs._raise('SJ404', format('schedule %s does not exist', coalesce(quote_literal(name), 'null')));
  end if;
  if not s.enabled then
    return null;
  end if;
  if s.needs_guard and not jobs._cron_matches(s.cron_expression, s.timezone, fire_at) then
    return null;  -- a carrier fire that is not a fire time in the schedule's zone
  end if;
  fire_key := format('schedule:%s:%s', s.id, to_char(fire_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI"Z"'));
  select * into active from jobs.jobs j where j.idempotency_key = fire_key;
  if found then
    return active;  -- this minute already fired (a repeated call): same job, no skip row
  end if;
  select * into active from jobs.jobs j
  where j.schedule_id = s.id and j.status in ('waiting', 'queued', 'running')
  order by j.id desc limit 1;
  if active.id is not null and s.overlap = 'skip' then
    insert into jobs.job_executions (schedule_id, job_type, status, started_at, completed_at,
                                     duration_ms, execution_metadata)
    values (s.id, s.job_type, 'skipped', now(), now(), 0, jsonb_build_object(
      'reason', format('overlap skip: job %s of this schedule is still %s', active.id, active.status),
      'schedule', s.name, 'fire_time', fire_at, 'blocking_job_id', active.id));
    return null;
  end if;
  return jobs._schedule_job(s, case when s.overlap = 'queue' then active.id end, fire_key);
end
$$;

-- Run a schedule's job now, outside its calendar (no guard, no idempotency key). The
-- overlap policy still applies: 'skip' refuses (SJ409) while a run is active.
create function jobs.run_schedule_now(name text) returns jobs.jobs
language plpgsql volatile security definer set search_path = '' as $$
#variable_conflict use_variable
declare
  s jobs.job_schedules;
  active jobs.jobs;
begin
  select * into s from jobs.job_schedules x where x.name = name for update;
  if not found then
    perform jobs._raise('SJ404', format('schedule %s does not exist', coalesce(quote_literal(name), 'null')));
  end if;
  select * into active from jobs.jobs j
  where j.schedule_id = s.id and j.status in ('waiting', 'queued', 'running')
  order by j.id desc limit 1;
  if active.id is not null and s.overlap = 'skip' then
    perform jobs._raise('SJ409', format('schedule %s has job %s still %s (overlap skip)',
                                        quote_literal(s.name), active.id, active.status));
  end if;
  return jobs._schedule_job(s, case when s.overlap = 'queue' then active.id end, null);
end
$$;

grant execute on function jobs.fire_schedule(text, timestamptz) to service_role;
grant execute on function jobs.run_schedule_now(text) to service_role;
