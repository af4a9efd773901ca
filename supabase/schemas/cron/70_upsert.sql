-- Scheduling, part 8: create or update a schedule (validated, compiled, synced to pg_cron).

-- Names: any printable text (quotes included: the cron.job command quotes it), 1..54 bytes
-- so that 'supajobs:' || name fits pg_cron's 63-byte job name.
create function jobs._check_schedule_name(name text) returns void
language plpgsql immutable security definer set search_path = '' as $$
begin
  if name is null or name = '' then
    perform jobs._raise('SJ109', 'schedule name is required');
  elsif octet_length(name) > 54 then
    perform jobs._raise('SJ109', format('schedule name %s is %s bytes long; at most 54 are allowed',
                                        quote_literal(left(name, 60)), octet_length(name)));
  elsif name ~ '[[:cntrl:]]' then
    perform jobs._raise('SJ109', format('schedule name %s contains a control character', quote_literal(name)));
  elsif name <> btrim(name) then
    perform jobs._raise('SJ109', format('schedule name %s starts or ends with white space', quote_literal(name)));
  end if;
end
$$;

create function jobs._check_timezone(tz text) returns void
language plpgsql stable security definer set search_path = '' as $$
begin
  if tz is null or not exists (select 1 from pg_catalog.pg_timezone_names z where z.name = tz) then
    perform jobs._raise('SJ108', format('timezone %s is not a known IANA time zone name (e.g. Asia/Tokyo, UTC, America/New_York)',
                                        coalesce(quote_literal(tz), 'null')));
  end if;
end
$$;

create function jobs.upsert_schedule(
  name text, cron_expression text, job_type text, payload jsonb default '{}',
  priority text default null, timezone text default 'Asia/Tokyo', overlap text default 'skip',
  enabled boolean default true)
returns jobs.job_schedules
language plpgsql volatile security definer set search_path = '' as $$
#variable_conflict use_variable
declare
  c record;
  saved jobs.job_schedules;
begin
  perform jobs._check_schedule_name(name);
  perform jobs._cron_parse(cron_expression);
  perform jobs._check_timezone(timezone);
  if job_type is null or not exists (select 1 from jobs.job_types t where t.name = job_type) then
    perform jobs._raise('SJ100', format('job_type %s is not a registered job type', coalesce(quote_literal(job_type), 'null')));
  end if;
  if payload is null or jsonb_typeof(payload) <> 'object' then
    perform jobs._raise('SJ101', 'payload must be a JSON object');
  end if;
  if priority is not null and priority not in ('critical', 'high', 'medium', 'low') then
    perform jobs._raise('SJ104', format('priority %L is not one of critical, high, medium, low (or null for the job type default)', priority));
  end if;
  if overlap is null or overlap not in ('skip', 'queue', 'allow') then
    perform jobs._raise('SJ110', format('overlap %s is not one of skip, queue, allow', coalesce(quote_literal(overlap), 'null')));
  end if;
  if enabled is null then
    perform jobs._raise('SJ105', 'enabled must be true or false');
  end if;
  select * into c from jobs._cron_compile(cron_expression, timezone);

  insert into jobs.job_schedules as s (name, cron_expression, job_type, payload, priority, timezone,
                                       overlap, enabled, utc_expression, needs_guard)
  values (name, regexp_replace(btrim(cron_expression), '\s+', ' ', 'g'), job_type, payload,
          priority::jobs.job_priority, timezone, overlap, enabled, c.utc_expression, c.needs_guard)
  on conflict on constraint job_schedules_name_key do update set
    cron_expression = excluded.cron_expression, job_type = excluded.job_type,
    payload = excluded.payload, priority = excluded.priority, timezone = excluded.timezone,
    overlap = excluded.overlap, enabled = excluded.enabled,
    utc_expression = excluded.utc_expression, needs_guard = excluded.needs_guard, updated_at = now()
  returning s.* into saved;

  perform jobs._cron_sync(saved.cron_job_name, saved.enabled, saved.utc_expression,
                          jobs._cron_command(saved.name));
  return saved;
end
$$;

grant execute on function jobs.upsert_schedule(text, text, text, jsonb, text, text, text, boolean)
  to service_role;
