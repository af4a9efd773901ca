-- Scheduling, part 5: compile a local expression to what pg_cron runs (in UTC).
-- Exact where cron can say it; otherwise a carrier expression plus the guard in
-- fire_schedule (needs_guard). pg_cron >= 1.5 (Supabase: 1.6) says "last day of the month"
-- itself (`$`): exact where no local hour moves to another UTC day; 1.4 needs the guard.

-- The distinct UTC offsets (minutes) of a zone from a year ago to three years ahead:
-- one offset means a fixed-offset zone (Asia/Tokyo, UTC).
create function jobs._zone_offsets(tz text) returns integer[]
language sql stable security definer set search_path = '' as $$
  select array_agg(distinct o order by o)
  from (select (extract(epoch from (g at time zone tz) - (g at time zone 'UTC')) / 60)::integer as o
        from generate_series(now() - interval '1 year', now() + interval '3 years', interval '1 day') g) x
$$;

-- A value set as cron text: '*' when star, else runs of 3+ as a-b, others listed.
create function jobs._cron_format_set(vals integer[], star boolean) returns text
language sql immutable security definer set search_path = '' as $$
  select case when star then '*' else (
    select string_agg(case when hi - lo >= 2 then lo || '-' || hi
                           when hi > lo then lo || ',' || hi
                           else lo::text end, ',' order by lo)
    from (select min(v) as lo, max(v) as hi
          from (select v, v - row_number() over (order by v) as grp from unnest(vals) v) r
          group by grp) runs) end
$$;

create function jobs._cron_compile(expr text, tz text,
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
