-- Scheduling, part 11: fire times and the conflict plan. Fire times are computed the way they
-- happen: the compiled UTC expression's instants (what pg_cron does), filtered by the guard
-- when the schedule has one (what fire_schedule does).

create function jobs._cron_fire_times(expr text, tz text, from_at timestamptz, to_at timestamptz)
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

-- When a schedule will fire (instants, not local times), e.g. to show the next runs.
create function jobs.schedule_fire_times(name text, from_at timestamptz default null,
                                         to_at timestamptz default null, max_rows integer default 100)
returns setof timestamptz
language plpgsql stable security definer set search_path = '' as $$
#variable_conflict use_variable
declare
  s jobs.job_schedules := jobs._schedule_or_raise(name);
  start_at timestamptz := coalesce(from_at, now());
begin
  if max_rows is null or max_rows not between 1 and 100000 then
    perform jobs._raise('SJ105', format('max_rows must be from 1 to 100000, got %s', coalesce(max_rows::text, 'null')));
  end if;
  return query select t from jobs._cron_fire_times(s.cron_expression, s.timezone, start_at,
                                                   coalesce(to_at, start_at + interval '31 days')) t
               limit max_rows;
end
$$;

-- The smallest minute shift of expr (no hour carry) after which none of its fires is within
-- window_minutes of a partner fire; the shifted expression, or null if no shift clears.
create function jobs._cron_stagger(expr text, own timestamptz[], partner timestamptz[],
                                   window_minutes integer)
returns text
language plpgsql stable security definer set search_path = '' as $$
declare
  s jobs.cron_spec := jobs._cron_parse(expr);
  fields text[] := regexp_split_to_array(jobs.validate_cron_expression(expr), ' ');
  d integer;
begin
  if cardinality(fields) <> 5 then
    return null;  -- a macro such as @daily: no minute field to shift
  end if;
  for d in select x from generate_series(-59, 59) x where x <> 0 order by abs(x), x desc loop
    continue when exists (select 1 from unnest(s.minutes) m where m + d not between 0 and 59);
    if not exists (select 1 from unnest(own) y, unnest(partner) p
                   where abs(extract(epoch from y + make_interval(mins => d) - p)) <= window_minutes * 60) then
      fields[1] := jobs._cron_format_set(array(select m + d from unnest(s.minutes) m order by 1), false);
      return array_to_string(fields, ' ');
    end if;
  end loop;
  return null;
end
$$;

-- Conflict plan: pairs of enabled schedules that compete (same job type, or both heavy) and
-- fire within window_minutes of each other over the horizon, with a staggered expression
-- suggested for the second of the pair (in its own zone, minutes shifted).
create function jobs.schedule_conflicts(horizon interval default '7 days',
                                        window_minutes integer default 10,
                                        from_at timestamptz default null)
returns table (schedule_a text, schedule_b text, reason text, clashes bigint,
               first_clash timestamptz, min_gap_minutes double precision,
               suggested_expression text)
language plpgsql stable security definer set search_path = '' as $$
#variable_conflict use_column
declare
  start_at timestamptz := coalesce(from_at, now());
begin
  if window_minutes is null or window_minutes not between 0 and 1440 then
    perform jobs._raise('SJ105', format('window_minutes must be from 0 to 1440, got %s', coalesce(window_minutes::text, 'null')));
  end if;
  if horizon is null or horizon <= interval '0' or horizon > interval '366 days' then
    perform jobs._raise('SJ105', format('horizon must be positive and at most 366 days, got %s', coalesce(horizon::text, 'null')));
  end if;
  return query
    with fires as (
      select s.name, s.cron_expression, s.job_type, t.heavy,
             array(select f from jobs._cron_fire_times(s.cron_expression, s.timezone, start_at,
                                                       start_at + horizon) f) as at
      from jobs.job_schedules s join jobs.job_types t on t.name = s.job_type
      where s.enabled
    ), pairs as (
      select a.name as a_name, b.name as b_name, b.cron_expression as b_expr, a.at as a_at, b.at as b_at,
             case when a.job_type = b.job_type then 'same job type ' || a.job_type
                  else 'both heavy (' || a.job_type || ', ' || b.job_type || ')' end as why
      from fires a join fires b on a.name < b.name
      where a.job_type = b.job_type or (a.heavy and b.heavy)
    )
    select p.a_name, p.b_name, p.why, x.n, x.first_at, x.gap,
           jobs._cron_stagger(p.b_expr, p.b_at, p.a_at, window_minutes)
    from pairs p
    cross join lateral (
      select count(*) as n, min(least(fa, fb)) as first_at,
             min(abs(extract(epoch from fa - fb)) / 60)::double precision as gap
      from unnest(p.a_at) fa, unnest(p.b_at) fb
      where abs(extract(epoch from fa - fb)) <= window_minutes * 60) x
    where x.n > 0
    order by x.first_at, p.a_name, p.b_name;
end
$$;

grant execute on function jobs.schedule_fire_times(text, timestamptz, timestamptz, integer)
  to service_role;
grant execute on function jobs.schedule_conflicts(interval, integer, timestamptz) to service_role;
