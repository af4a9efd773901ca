-- A worker's own breakers (issue 20, part 6): CPU held above its threshold, database
-- connection pool exhausted. The schema file supabase/schemas/jobs/97_worker_breakers.sql says
-- the same; this makes the change on a deployed database.

create function jobs._worker_breaker_scope(worker_id text, kind text) returns text
language plpgsql immutable as $$
begin
  if worker_id is null or length(worker_id) not between 1 and 200 then
    perform jobs._raise('SJ105', 'worker_id must be a string of 1 to 200 characters');
  end if;
  if kind is null or kind not in ('cpu', 'db_pool') then
    perform jobs._raise('SJ105', format('kind must be cpu or db_pool, got %s', coalesce(quote_literal(kind), 'null')));
  end if;
  return 'worker:' || worker_id || ':' || kind;
end
$$;

create function jobs.open_worker_breaker(worker_id text, kind text, reason text,
                                         details jsonb default '{}')
returns boolean
language plpgsql volatile security definer set search_path = '' as $$
#variable_conflict use_variable
declare
  scope text := jobs._worker_breaker_scope(worker_id, kind);
begin
  if reason is null or length(reason) not between 1 and 2000 then
    perform jobs._raise('SJ105', 'reason must be a string of 1 to 2000 characters');
  end if;
  if jsonb_typeof(details) is distinct from 'object' then
    perform jobs._raise('SJ105', 'details must be a JSON object');
  end if;
  return jobs._trip(scope, reason,
                    details || jsonb_build_object('worker_id', worker_id, 'kind', kind));
end
$$;

create function jobs.close_worker_breaker(worker_id text, kind text) returns boolean
language plpgsql volatile security definer set search_path = '' as $$
#variable_conflict use_variable
declare
  scope text := jobs._worker_breaker_scope(worker_id, kind);
begin
  delete from jobs.circuit_breakers b where b.scope = scope;
  if not found then
    return false;
  end if;
  update jobs.breaker_trips t set reset_at = now(), reset_by = 'worker'
  where t.scope = scope and t.reset_at is null;
  return true;
end
$$;

revoke all on function jobs._worker_breaker_scope(text, text),
  jobs.open_worker_breaker(text, text, text, jsonb), jobs.close_worker_breaker(text, text)
  from public, anon, authenticated;
grant execute on function jobs.open_worker_breaker(text, text, text, jsonb) to service_role;
grant execute on function jobs.close_worker_breaker(text, text) to service_role;
