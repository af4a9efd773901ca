-- supajobs engine, part 15: circuit breakers. A type pauses after N consecutive failures; all
-- claiming stops when the dead letters exceed a threshold or the failure rate of the last
-- hour is too high. Each trip is recorded in breaker_trips and announced by an alert_notify
-- job; an operator resets it with reset_breaker().

create function jobs._trip(scope text, reason text, details jsonb default '{}') returns boolean
language plpgsql volatile as $$
#variable_conflict use_variable
declare
  trip_id bigint;
begin
  insert into jobs.circuit_breakers (scope, reason) values (scope, reason)
  on conflict on constraint circuit_breakers_pkey do nothing;
  if not found then
    return false;  -- already open: one trip, recorded once
  end if;
  insert into jobs.breaker_trips (scope, reason, details) values (scope, reason, details)
  returning id into trip_id;
  perform pg_notify('supajobs_breakers', json_build_object('scope', scope, 'reason', reason)::text);
  -- One alert per trip (the key makes it so), delivered and retried like any job.
  perform jobs._enqueue_items(jsonb_build_array(jsonb_build_object(
    'job_type', 'alert_notify', 'idempotency_key', 'alert:breaker_trip:' || trip_id,
    'payload', jsonb_build_object('kind', 'breaker_trip', 'trip_id', trip_id, 'scope', scope,
                                  'reason', reason, 'details', details, 'opened_at', now()))));
  return true;
end
$$;

-- Called with {job_type: failures} after attempts failed.
create function jobs._count_failures(failed_types jsonb) returns void
language plpgsql volatile as $$
declare
  type_threshold integer := (jobs._setting('type_failure_threshold'))::integer;
  dead_threshold integer := (jobs._setting('dead_letter_threshold'))::integer;
  rate_threshold double precision := (jobs._setting('failure_rate_threshold'))::double precision;
  min_samples integer := (jobs._setting('failure_rate_min_samples'))::integer;
  tripped record;
  dead_count integer;
  finished integer;
  failed integer;
begin
  for tripped in
    update jobs.job_types t
    set consecutive_failures = t.consecutive_failures + (failed_types ->> t.name)::integer
    where failed_types ? t.name
    returning t.name, t.consecutive_failures
  loop
    if tripped.consecutive_failures >= type_threshold then
      perform jobs._trip('type:' || tripped.name,
        format('%s consecutive failures of %s (threshold %s)', tripped.consecutive_failures, tripped.name, type_threshold),
        jsonb_build_object('consecutive_failures', tripped.consecutive_failures));
    end if;
  end loop;

  select count(*) into dead_count
  from (select 1 from jobs.jobs j where j.status = 'dead' limit dead_threshold + 1) d;
  if dead_count > dead_threshold then
    perform jobs._trip('global', format('more than %s dead letters', dead_threshold),
                       jsonb_build_object('dead_letters', dead_count));
    return;
  end if;

  select count(*), count(*) filter (where x.status in ('failed', 'timed_out'))
    into finished, failed
  from jobs.job_executions x
  where x.started_at > now() - interval '3 hours' and x.completed_at > now() - interval '1 hour'
    and x.status in ('completed', 'failed', 'timed_out')
    and not x.execution_metadata ? 'lease_expired';
  if finished >= min_samples and failed::double precision / finished > rate_threshold then
    perform jobs._trip('global',
      format('failure rate %s%% over the last hour (threshold %s%%)', round(100.0 * failed / finished), round((100 * rate_threshold)::numeric)),
      jsonb_build_object('finished', finished, 'failed', failed));
  end if;
end
$$;

create function jobs.reset_breaker(scope text, reset_by text default 'operator')
returns setof jobs.breaker_trips
language plpgsql volatile security definer set search_path = '' as $$
#variable_conflict use_variable
begin
  if not exists (select 1 from jobs.circuit_breakers b where b.scope = reset_breaker.scope) then
    perform jobs._raise('SJ404', format('circuit breaker %L is not open', scope));
  end if;
  delete from jobs.circuit_breakers b where b.scope = reset_breaker.scope;
  if scope like 'type:%' then
    update jobs.job_types t set consecutive_failures = 0 where t.name = substr(scope, 6);
  end if;
  perform jobs._work_due(1);
  return query
  update jobs.breaker_trips t set reset_at = now(), reset_by = reset_breaker.reset_by
  where t.scope = reset_breaker.scope and t.reset_at is null
  returning t.*;
end
$$;

create function jobs.list_breakers()
returns table (scope text, reason text, opened_at timestamptz)
language sql stable security definer set search_path = '' as $$
  select b.scope, b.reason, b.opened_at from jobs.circuit_breakers b order by b.opened_at
$$;

create function jobs.breaker_history(max_rows integer default 100) returns setof jobs.breaker_trips
language sql stable security definer set search_path = '' as $$
  select * from jobs.breaker_trips t order by t.opened_at desc, t.id desc limit max_rows
$$;

grant execute on function jobs.reset_breaker(text, text) to service_role;
grant execute on function jobs.list_breakers() to service_role;
grant execute on function jobs.breaker_history(integer) to service_role;
