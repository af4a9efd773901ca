-- Scheduling, part 4: the guard. Does an instant fire a schedule, judged in local time?

-- A local wall-clock time against a parsed expression.
create function jobs._cron_local_matches(s jobs.cron_spec, t timestamp) returns boolean
language plpgsql immutable security definer set search_path = '' as $$
declare
  dom_ok boolean;
  dow_ok boolean;
begin
  if not (extract(minute from t)::integer = any(s.minutes)
          and extract(hour from t)::integer = any(s.hours)
          and extract(month from t)::integer = any(s.months)) then
    return false;
  end if;
  if s.dom_star and s.dow_star then
    return true;
  end if;
  dom_ok := extract(day from t)::integer = any(s.doms)
            or (s.dom_last and extract(day from t + interval '1 day') = 1);
  dow_ok := extract(dow from t)::integer = any(s.dows);
  if s.dom_star then
    return dow_ok;
  elsif s.dow_star then
    return dom_ok;
  end if;
  return dom_ok or dow_ok;  -- both restricted: classic cron ORs them
end
$$;

-- An instant (truncated to the minute) in zone tz. Local times that exist match as written;
-- a repeated hour (DST ends) fires twice, once per instant. A local time skipped by a DST
-- gap fires once at the first instant after the gap, unless the hour field is * (then the
-- skipped times are simply skipped) -- croniter's rules, so the SDK and the database agree.
create function jobs._cron_spec_matches(s jobs.cron_spec, tz text, at timestamptz)
returns boolean
language plpgsql stable security definer set search_path = '' as $$
declare
  t timestamptz := date_trunc('minute', at);
  local_t timestamp := t at time zone tz;
  prev_t timestamp;
begin
  if jobs._cron_local_matches(s, local_t) then
    return true;
  end if;
  if s.hour_star then
    return false;
  end if;
  prev_t := (t - interval '1 minute') at time zone tz;
  if local_t - prev_t <= interval '1 minute' then
    return false;  -- no gap ended at this instant
  end if;
  return exists (
    select 1
    from generate_series(prev_t + interval '1 minute', local_t - interval '1 minute',
                         interval '1 minute') g
    where jobs._cron_local_matches(s, g));
end
$$;

create function jobs._cron_matches(expr text, tz text, at timestamptz) returns boolean
language plpgsql stable security definer set search_path = '' as $$
begin
  return jobs._cron_spec_matches(jobs._cron_parse(expr), tz, at);
end
$$;
