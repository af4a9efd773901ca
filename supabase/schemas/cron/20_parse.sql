-- Scheduling, part 3: a whole cron expression to a jobs.cron_spec.
-- Which fields count as "*" follows croniter (the SDK validates with it, the tests compare
-- against it): a field is * when it has a * element or covers its whole range, except that a
-- full day-of-month (day-of-week) list stays a list unless the other day field contains a *.
-- That decides the classic cron rule: both day fields restricted means day-of-month OR
-- day-of-week.

create function jobs._cron_parse(expr text) returns jobs.cron_spec
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

-- Validate an expression: raises SJ107 with the problem, returns the normalised text.
create function jobs.validate_cron_expression(cron_expression text) returns text
language plpgsql immutable security definer set search_path = '' as $$
begin
  perform jobs._cron_parse(cron_expression);
  return regexp_replace(btrim(cron_expression), '\s+', ' ', 'g');
end
$$;

grant execute on function jobs.validate_cron_expression(text) to service_role;
