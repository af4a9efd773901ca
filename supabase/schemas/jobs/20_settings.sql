-- supajobs engine, part 5: shared helpers (errors, settings, the retry formula) and the job
-- type registry.

-- Raise a supajobs error: SQLSTATE class SJ, the message names the field.
create function jobs._raise(code text, message text) returns void
language plpgsql immutable parallel safe as $$
begin
  raise exception using errcode = code, message = message;
end
$$;

-- Settings are read on every enqueue and claim. A `language sql` function that is not
-- inlined is planned again on every call (~15 µs each, measured with pg_stat_statements);
-- plpgsql keeps its plans for the session.
create or replace function jobs._setting(key text) returns jsonb
language plpgsql stable parallel safe as $$
begin
  return (select s.value from jobs.settings s where s.key = _setting.key);
end
$$;

-- Retry delay before attempt n+1 after attempt n failed: exponential, capped, with jitter.
-- r in [0, 1) is the random draw, passed in so the formula is pure and testable; the SDK
-- implements the same formula (tests compare the two).
create function jobs.backoff_seconds(base double precision, cap double precision, attempt integer,
                                     jitter double precision, r double precision)
returns double precision
language sql immutable parallel safe set search_path = '' as $$
  select least(cap, base * power(2, greatest(attempt, 1) - 1)) * (1 - jitter * r)
$$;

-- Register or change a job type (custom handlers, benchmarks).
create function jobs.upsert_job_type(
  name text, default_priority text default 'medium', max_attempts integer default 5,
  timeout_seconds integer default 300, backoff_base_seconds double precision default 10,
  backoff_cap_seconds double precision default 3600, concurrency_limit integer default null,
  heavy boolean default false, rate_limits jsonb default null, rate_key text default null,
  key_concurrency integer default null)
returns jobs.job_types
language plpgsql security definer set search_path = '' as $$
#variable_conflict use_variable
declare
  saved jobs.job_types;
  problem text;
begin
  if name is null or name !~ '^[a-z][a-z0-9_]{0,62}$' then
    perform jobs._raise('SJ100', format('job_type name %L must be lower-case letters, digits and _ (at most 63, starting with a letter)', name));
  end if;
  if default_priority is null or default_priority not in ('critical', 'high', 'medium', 'low') then
    perform jobs._raise('SJ104', format('default_priority %L is not one of critical, high, medium, low', default_priority));
  end if;
  if max_attempts is null or max_attempts not between 1 and 5 then
    perform jobs._raise('SJ102', format('max_attempts must be an integer from 1 to 5, got %s', coalesce(max_attempts::text, 'null')));
  end if;
  if timeout_seconds is null or timeout_seconds not between 1 and 1800 then
    perform jobs._raise('SJ103', format('timeout_seconds must be an integer from 1 to 1800 (30 minutes), got %s', coalesce(timeout_seconds::text, 'null')));
  end if;
  if backoff_base_seconds is null or backoff_base_seconds <= 0 or backoff_cap_seconds is null
     or backoff_cap_seconds < backoff_base_seconds then
    perform jobs._raise('SJ105', 'backoff_base_seconds must be > 0 and backoff_cap_seconds >= backoff_base_seconds');
  end if;
  if concurrency_limit is not null and concurrency_limit < 1 then
    perform jobs._raise('SJ105', format('concurrency_limit must be null (unlimited) or >= 1, got %s', concurrency_limit));
  end if;
  problem := jobs._flow_problem(rate_limits, rate_key, key_concurrency);
  if problem is not null then
    perform jobs._raise('SJ105', problem);
  end if;
  insert into jobs.job_types as t (name, default_priority, max_attempts, timeout_seconds,
      backoff_base_seconds, backoff_cap_seconds, concurrency_limit, heavy, rate_limits,
      rate_key, key_concurrency)
  values (name, default_priority::jobs.job_priority, max_attempts, timeout_seconds,
      backoff_base_seconds, backoff_cap_seconds, concurrency_limit, heavy, rate_limits,
      rate_key, key_concurrency)
  on conflict on constraint job_types_pkey do update set
    default_priority = excluded.default_priority, max_attempts = excluded.max_attempts,
    timeout_seconds = excluded.timeout_seconds, backoff_base_seconds = excluded.backoff_base_seconds,
    backoff_cap_seconds = excluded.backoff_cap_seconds, concurrency_limit = excluded.concurrency_limit,
    heavy = excluded.heavy, rate_limits = excluded.rate_limits, rate_key = excluded.rate_key,
    key_concurrency = excluded.key_concurrency, updated_at = now()
  returning t.* into saved;
  return saved;
end
$$;

create function jobs.list_job_types() returns setof jobs.job_types
language sql stable security definer set search_path = '' as $$
  select * from jobs.job_types order by name
$$;

grant execute on function jobs.backoff_seconds(double precision, double precision, integer,
                                               double precision, double precision) to service_role;
grant execute on function jobs.upsert_job_type(text, text, integer, integer, double precision,
                                               double precision, integer, boolean, jsonb, text,
                                               integer) to service_role;
grant execute on function jobs.list_job_types() to service_role;
