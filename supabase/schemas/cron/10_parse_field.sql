-- Scheduling, part 2: one field of a 5-field cron expression. Supported: numbers, names
-- (JAN-DEC, SUN-SAT), `*`, `?` (day fields), ranges a-b, steps */n a/n a-b/n, lists, and `L`
-- alone in day-of-month. Errors are SJ107 and name the expression, the field and the problem.

create function jobs._cron_bad(expr text, problem text) returns void
language plpgsql immutable security definer set search_path = '' as $$
begin
  perform jobs._raise('SJ107', format('cron_expression "%s": %s', expr, problem));
end
$$;

-- One value: a number in lo..hi, or a name (month/day-of-week) counted from name_base.
create function jobs._cron_value(expr text, field text, token text, lo integer, hi integer,
                                 names text[], name_base integer)
returns integer
language plpgsql immutable security definer set search_path = '' as $$
declare
  v integer;
begin
  if token ~ '^[0-9]{1,6}$' then
    v := token::integer;
    if v < lo or v > hi then
      perform jobs._cron_bad(expr, format('%s %s is out of range %s-%s', field, v, lo, hi));
    end if;
    return v;
  end if;
  v := array_position(names, upper(token));
  if v is not null then
    return v - 1 + name_base;
  end if;
  if upper(token) = 'L' then
    perform jobs._cron_bad(expr, format('%s: L must stand alone as a day-of-month list element', field));
  end if;
  perform jobs._cron_bad(expr, format('%s value "%s" is not a number%s', field, token,
    case when names is null then '' else ' or a name (' || names[1] || '...' || names[cardinality(names)] || ')' end));
  return null;
end
$$;

-- Expand one field to its sorted set of values. star: the field had a `*` (or `?`) element;
-- has_l: day-of-month had an `L` element.
create function jobs._cron_field(expr text, src text, field text, lo integer, hi integer,
                                 names text[], name_base integer,
                                 out vals integer[], out star boolean, out has_l boolean)
language plpgsql immutable security definer set search_path = '' as $$
declare
  elem text;
  m text[];
  a integer;
  b integer;
  step integer;
  -- `*` and `a/n` in day-of-week stop at 6; 7 (Sunday) is accepted only when written.
  top integer := case when field = 'day-of-week' then 6 else hi end;
  acc integer[] := '{}';
begin
  star := false;
  has_l := false;
  foreach elem in array string_to_array(src, ',') loop
    if elem = '' then
      perform jobs._cron_bad(expr, format('%s "%s" has an empty list element', field, src));
    end if;
    if elem = '*' or (elem = '?' and field in ('day-of-month', 'day-of-week')) then
      star := true;
      acc := acc || array(select generate_series(lo, top));
      continue;
    end if;
    if upper(elem) = 'L' then
      if field <> 'day-of-month' then
        perform jobs._cron_bad(expr, format('L is only allowed in day-of-month, not in %s', field));
      end if;
      has_l := true;
      continue;
    end if;
    m := regexp_match(elem, '^(\*|[A-Za-z0-9]+)(?:-([A-Za-z0-9]+))?(?:/([0-9]+))?$');
    if m is null then
      perform jobs._cron_bad(expr, format(
        '%s element "%s" is not a value, a range (a-b), a step (*/n, a/n, a-b/n) or L', field, elem));
    end if;
    step := 1;
    if m[3] is not null then
      if length(m[3]) > 4 or m[3]::integer < 1 then
        perform jobs._cron_bad(expr, format('%s step "%s" must be from 1 to 9999', field, m[3]));
      end if;
      step := m[3]::integer;
    end if;
    if m[1] = '*' then
      if m[2] is not null then
        perform jobs._cron_bad(expr, format('%s element "%s": * cannot start a range', field, elem));
      end if;
      a := lo;
      b := top;
    else
      a := jobs._cron_value(expr, field, m[1], lo, hi, names, name_base);
      b := case when m[2] is not null then jobs._cron_value(expr, field, m[2], lo, hi, names, name_base)
                when m[3] is not null then greatest(a, top)
                else a end;
      if b < a then
        perform jobs._cron_bad(expr, format('%s range "%s" runs backwards (%s > %s)', field, elem, a, b));
      elsif b = a and m[2] is not null then
        -- croniter reads a-a as the whole cycle, classic cron as one value: refuse the ambiguity.
        perform jobs._cron_bad(expr, format('%s range "%s" starts and ends at %s: write the single value', field, elem, a));
      end if;
    end if;
    acc := acc || array(select generate_series(a, b, step));
  end loop;
  if field = 'day-of-week' then
    acc := array(select v % 7 from unnest(acc) v);
  end if;
  vals := array(select distinct v from unnest(acc) v order by v);
end
$$;
