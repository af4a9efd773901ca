-- pg_cron 1.6 (Supabase) where it is installed (issue 20, part 7): last-day-of-month schedules
-- compile to pg_cron's `$` where the zone makes it exact, instead of the daily carrier plus
-- the guard that 1.4 needs; the version check is one function (jobs._pg_cron_version) the
-- tests replace. The schema files supabase/schemas/cron/40_compile.sql, 50_hygiene.sql and
-- 90_conflicts.sql say the same (and 20_parse.sql: a clear refusal of "N seconds"); this makes the change on a deployed database.


-- The installed pg_cron's version ({1,6}), null without it.
create or replace function jobs._pg_cron_version() returns integer[]
language sql stable security definer set search_path = '' as $$
  select string_to_array(split_part(e.extversion, '-', 1), '.')::integer[]
  from pg_catalog.pg_extension e where e.extname = 'pg_cron'
$$;

revoke all on function jobs._pg_cron_version() from public, anon, authenticated;

create or replace function jobs._cron_has_seconds() returns boolean
language sql stable security definer set search_path = '' as $$
  select coalesce(jobs._pg_cron_version() >= '{1,5}', false)
$$;

create or replace function jobs._cron_compile(expr text, tz text,
                                   out utc_expression text, out needs_guard boolean)
language plpgsql stable security definer set search_path = '' as $$
declare
  s jobs.cron_spec := jobs._cron_parse(expr);
  offs integer[] := jobs._zone_offsets(tz);
  d integer;
  k integer;
  shifts integer[];
  hours integer[];
  doms integer[];
  dows integer[];
  exact boolean := false;
  mins integer[];
  -- `$` alone in day-of-month, every weekday: "1,$" or "$" OR a weekday are not sent
  last_day boolean := s.dom_last and cardinality(s.doms) = 0 and s.dow_star
                      and jobs._cron_has_seconds();
begin
  if cardinality(offs) = 1 and offs[1] % 60 = 0 and (last_day or not s.dom_last) then
    d := offs[1] / 60;
    hours := array(select distinct ((h - d) % 24 + 24) % 24 from unnest(s.hours) h order by 1);
    -- Day shift of each local hour when moved to UTC: -1 (previous day), 0 or +1.
    shifts := array(select distinct floor((h - d)::numeric / 24)::integer from unnest(s.hours) h);
    doms := s.doms;
    dows := s.dows;
    if (s.dom_star and s.dow_star and s.month_star) or shifts = '{0}' then
      exact := true;
    elsif s.dom_last then
      exact := false;  -- the last local day would be the first or the day before the last
    elsif cardinality(shifts) = 1 then
      k := shifts[1];
      exact := true;
      if not s.dom_star then
        -- Only days 1..28 exist in every month, so only they shift without crossing months.
        if exists (select 1 from unnest(s.doms) v where v + k not between 1 and 28 or v > 28) then
          exact := false;
        end if;
        doms := array(select v + k from unnest(s.doms) v order by 1);
      end if;
      if not s.dow_star then
        -- A shifted weekday can fall in the neighbouring month.
        exact := exact and s.month_star;
        dows := array(select distinct (v + k + 7) % 7 from unnest(s.dows) v order by 1);
      end if;
      if s.dom_star and s.dow_star then
        exact := false;  -- month restricted: the first or last day crosses the month edge
      end if;
    end if;
  end if;

  if exact then
    needs_guard := false;
    utc_expression := concat_ws(' ',
      jobs._cron_format_set(s.minutes, s.minute_star),
      jobs._cron_format_set(hours, cardinality(hours) = 24),
      case when s.dom_last then '$' else jobs._cron_format_set(doms, s.dom_star) end,
      jobs._cron_format_set(s.months, s.month_star),
      jobs._cron_format_set(dows, s.dow_star));
    return;
  end if;

  -- Carrier: the local minutes at every UTC hour any offset maps a local hour to; day fields
  -- are left to the guard. With DST the first instant after a gap (minute 0) is a carrier
  -- fire too, since the guard may have to fire there for a local time the gap skipped.
  needs_guard := true;
  if exists (select 1 from unnest(offs) o where o % 60 <> 0) then
    utc_expression := '* * * * *';
    return;
  end if;
  mins := s.minutes;
  if cardinality(offs) > 1 and not s.hour_star then
    mins := array(select distinct v from unnest(mins || 0) v order by v);
  end if;
  hours := case when s.hour_star then array(select generate_series(0, 23))
                else array(select distinct ((h - o / 60) % 24 + 24) % 24
                           from unnest(s.hours) h, unnest(offs) o order by 1) end;
  utc_expression := concat_ws(' ',
    jobs._cron_format_set(mins, cardinality(mins) = 60),
    jobs._cron_format_set(hours, cardinality(hours) = 24), '* * *');
end
$$;

create or replace function jobs._cron_fire_times(expr text, tz text, from_at timestamptz, to_at timestamptz)
returns setof timestamptz
language plpgsql stable security definer set search_path = '' as $$
declare
  c record;
  s jobs.cron_spec := jobs._cron_parse(expr);
  u jobs.cron_spec;
begin
  select * into c from jobs._cron_compile(expr, tz);
  u := jobs._cron_parse(replace(c.utc_expression, '$', 'L'));  -- pg_cron's `$` is our L
  return query
    select t from (
      select (d + make_interval(hours => h, mins => m)) at time zone 'UTC' as t
      from generate_series(date_trunc('day', from_at at time zone 'UTC'), to_at at time zone 'UTC',
                           interval '1 day') d,
           unnest(u.hours) h, unnest(u.minutes) m) cand
    where cand.t >= from_at and cand.t < to_at
      and jobs._cron_local_matches(u, cand.t at time zone 'UTC')
      and (not c.needs_guard or jobs._cron_spec_matches(s, tz, cand.t))
    order by cand.t;
end
$$;

-- "30 seconds" (pg_cron's second-level form) is refused with a message saying why, instead
-- of "expected 5 fields ... got 2".
create or replace function jobs._cron_parse(expr text) returns jobs.cron_spec
language plpgsql immutable security definer set search_path = '' as $$
declare
  src text := btrim(coalesce(expr, ''));
  f text[];
  r record;
  s jobs.cron_spec;
  months constant text[] := '{JAN,FEB,MAR,APR,MAY,JUN,JUL,AUG,SEP,OCT,NOV,DEC}';
  days constant text[] := '{SUN,MON,TUE,WED,THU,FRI,SAT}';
begin
  if src = '' then
    perform jobs._raise('SJ107', 'cron_expression is required (5 fields: minute hour day-of-month month day-of-week)');
  end if;
  src := case lower(src)
           when '@hourly' then '0 * * * *'
           when '@daily' then '0 0 * * *'
           when '@midnight' then '0 0 * * *'
           when '@weekly' then '0 0 * * 0'
           when '@monthly' then '0 0 1 * *'
           when '@yearly' then '0 0 1 1 *'
           when '@annually' then '0 0 1 1 *'
           else src end;
  if length(src) > 1000 then
    perform jobs._raise('SJ107', 'cron_expression is longer than 1000 characters');
  end if;
  f := regexp_split_to_array(src, '\s+');
  if src ~* '^[0-9]+\s+seconds?$' then  -- pg_cron >= 1.5's form; fires are per minute here
    perform jobs._cron_bad(expr, 'second-level schedules are pg_cron''s own syntax, used only by supajobs'' sweeper; a schedule fires at most once a minute: write 5 fields (minute hour day-of-month month day-of-week), e.g. "* * * * *"');
  end if;
  if cardinality(f) <> 5 then
    perform jobs._cron_bad(expr, format(
      'expected 5 fields (minute hour day-of-month month day-of-week), got %s', cardinality(f)));
  end if;

  r := jobs._cron_field(expr, f[1], 'minute', 0, 59, null, 0);
  s.minutes := r.vals;
  s.minute_star := r.star or cardinality(r.vals) = 60;

  r := jobs._cron_field(expr, f[2], 'hour', 0, 23, null, 0);
  s.hours := r.vals;
  s.hour_star := r.star or cardinality(r.vals) = 24;

  r := jobs._cron_field(expr, f[3], 'day-of-month', 1, 31, null, 0);
  s.doms := r.vals;
  s.dom_last := r.has_l;
  s.dom_star := r.star
    or (cardinality(r.vals) + r.has_l::integer = 31 and strpos(f[5], '*') > 0);

  r := jobs._cron_field(expr, f[4], 'month', 1, 12, months, 1);
  s.months := r.vals;
  s.month_star := r.star or cardinality(r.vals) = 12;

  r := jobs._cron_field(expr, f[5], 'day-of-week', 0, 7, days, 0);
  s.dows := r.vals;
  s.dow_star := r.star or (cardinality(r.vals) = 7 and strpos(f[3], '*') > 0);
  return s;
end
$$;

-- Recompile the stored schedules with the new rules and resync cron.job (idempotent).
select jobs.repair_schedules();
