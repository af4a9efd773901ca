-- Settings, the six job types of the receipt pipeline, and shared internal helpers.

insert into jobs.settings (key, value, description) values
  ('payload_limit_bytes', '262144', 'largest payload accepted by enqueue, in bytes of its JSON text (256 KiB)'),
  ('batch_limit', '10000', 'most jobs one enqueue_batch call may carry'),
  ('default_lease_seconds', '60', 'lease granted by claim and extended by heartbeat when the caller names none'),
  ('backoff_jitter', '0.5', 'fraction of each retry delay that is randomised (0 = none, 1 = full jitter)'),
  ('type_failure_threshold', '25', 'consecutive failures that pause a job type'),
  ('dead_letter_threshold', '100', 'dead letters above which all claiming stops'),
  ('failure_rate_threshold', '0.6', 'failure rate over the last hour above which all claiming stops'),
  ('failure_rate_min_samples', '20', 'finished attempts in the last hour needed before the failure rate counts');

insert into jobs.job_types
  (name, default_priority, max_attempts, timeout_seconds, backoff_base_seconds, backoff_cap_seconds,
   concurrency_limit, heavy) values
  ('email_scan',        'high',   5,  300, 30,  1800, 1,    false),
  ('receipt_process',   'medium', 5,  600, 20,  1800, 2,    true),
  ('file_organize',     'medium', 5,  300, 10,   900, null, false),
  ('duplicate_cleanup', 'low',    3,  900, 60,  3600, 1,    true),
  ('report_generate',   'high',   5, 1200, 120, 3600, 1,    true),
  ('backup_create',     'critical', 5, 1800, 300, 3600, 1,  true);

-- Operator notifications (circuit-breaker trips), delivered as jobs so they are retried.
insert into jobs.job_types
  (name, default_priority, max_attempts, timeout_seconds, backoff_base_seconds, backoff_cap_seconds,
   bypass_breakers)
values ('alert_notify', 'critical', 5, 60, 10, 600, true);

-- Raise a supajobs error: SQLSTATE class SJ, the message names the field.
create function jobs._raise(code text, message text) returns void
language plpgsql immutable parallel safe as $$
begin
  raise exception using errcode = code, message = message;
end
$$;

create function jobs._setting(key text) returns jsonb
language sql stable parallel safe as $$
  select s.value from jobs.settings s where s.key = _setting.key
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
  heavy boolean default false)
returns jobs.job_types
language plpgsql security definer set search_path = '' as $$
#variable_conflict use_variable
declare
  saved jobs.job_types;
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
  insert into jobs.job_types as t (name, default_priority, max_attempts, timeout_seconds,
      backoff_base_seconds, backoff_cap_seconds, concurrency_limit, heavy)
  values (name, default_priority::jobs.job_priority, max_attempts, timeout_seconds,
      backoff_base_seconds, backoff_cap_seconds, concurrency_limit, heavy)
  on conflict on constraint job_types_pkey do update set
    default_priority = excluded.default_priority, max_attempts = excluded.max_attempts,
    timeout_seconds = excluded.timeout_seconds, backoff_base_seconds = excluded.backoff_base_seconds,
    backoff_cap_seconds = excluded.backoff_cap_seconds, concurrency_limit = excluded.concurrency_limit,
    heavy = excluded.heavy, updated_at = now()
  returning t.* into saved;
  return saved;
end
$$;

create function jobs.list_job_types() returns setof jobs.job_types
language sql stable security definer set search_path = '' as $$
  select * from jobs.job_types order by name
$$;
