-- supajobs engine, part 9: the enqueue RPCs.

-- enqueue(): the common call (no idempotency key, no dependencies, plainly valid arguments)
-- inserts the row directly; a fast-path candidate whose type is unknown or whose payload is
-- too large gets no row there. Anything else takes the general path (_enqueue_items), which
-- validates and words every problem. Each call is usually its own transaction, and PL/pgSQL
-- sets up every statement and expression it runs afresh in each transaction, so what a call
-- costs grows with the number of statements more than with what they do (pg_stat_statements;
-- docs/decisions.md): the job type and the payload limit are read by the INSERT itself, and
-- the wake-up is _work_due(1).
create or replace function jobs.enqueue(
  job_type text, payload jsonb default '{}', priority text default null,
  run_at timestamptz default null, idempotency_key text default null,
  depends_on bigint[] default '{}', max_attempts integer default null,
  timeout_seconds integer default null, rate_key text default null,
  trace_context text default null)
returns jobs.jobs
language plpgsql volatile security definer set search_path = '' as $$
#variable_conflict use_variable
declare
  saved jobs.jobs;
begin
  if idempotency_key is null and coalesce(cardinality(depends_on), 0) = 0
     and jsonb_typeof(payload) = 'object'
     and (priority is null or priority in ('critical', 'high', 'medium', 'low'))
     and (max_attempts is null or max_attempts between 1 and 5)
     and (timeout_seconds is null or timeout_seconds between 1 and 1800)
     and (rate_key is null or length(rate_key) between 1 and 200)
     and (trace_context is null or jobs._is_trace_context(to_jsonb(trace_context))) then
    -- No row when the type is unknown or the payload too large: the general path below
    -- then words the error.
    insert into jobs.jobs (job_type, payload, priority, status, run_at, attempt_limit,
                           max_attempts, timeout_seconds, rate_key, trace_context)
    select t.name, payload, coalesce(priority::jobs.job_priority, t.default_priority),
           'queued', coalesce(run_at, now()), coalesce(max_attempts, t.max_attempts),
           coalesce(max_attempts, t.max_attempts), coalesce(timeout_seconds, t.timeout_seconds),
           -- the rate key: given, or read from the payload when the type names a field
           coalesce(rate_key, case when t.rate_key is not null
                                   then payload #>> string_to_array(t.rate_key, '.') end),
           trace_context
    from jobs.job_types t, jobs.settings s
    where t.name = job_type and s.key = 'payload_limit_bytes'
      and octet_length(payload::text) <= (s.value)::integer
    returning * into saved;
    if saved.id is not null then
      if saved.run_at <= now() then
        perform jobs._work_due(1);
      end if;
      return saved;
    end if;
  end if;
  select * into saved from jobs._enqueue_items(jsonb_build_array(jsonb_build_object(
    'job_type', job_type, 'payload', payload, 'priority', priority, 'run_at', run_at,
    'idempotency_key', idempotency_key, 'depends_on', to_jsonb(coalesce(depends_on, '{}')),
    'max_attempts', max_attempts, 'timeout_seconds', timeout_seconds, 'rate_key', rate_key,
    'trace_context', trace_context)), true);
  return saved;
end
$$;

-- enqueue_batch(): a batch whose items name no idempotency key, dependency, ref or schedule
-- (after the same validation) is one INSERT … SELECT; ids follow the input order (FIFO).
-- Other batches (and anything that is not an array) take the general path, which validates
-- them itself and plans ids for refs: either path validates exactly once.
create or replace function jobs.enqueue_batch(items jsonb) returns setof jobs.jobs
language plpgsql volatile security definer set search_path = '' as $$
begin
  if jsonb_typeof(items) is distinct from 'array'
     or exists (select 1 from jsonb_array_elements(items) e(obj)
                where e.obj ?| array['idempotency_key', 'depends_on', 'ref', 'schedule_id']) then
    return query select * from jobs._enqueue_items(items, false);
    return;
  end if;
  perform jobs._check_items(items, false);
  return query
  with added as (
    insert into jobs.jobs (job_type, payload, priority, status, run_at, attempt_limit,
                           max_attempts, timeout_seconds, rate_key, trace_context)
    select t.name, coalesce(e.obj -> 'payload', '{}'),
           coalesce((nullif(e.obj ->> 'priority', ''))::jobs.job_priority, t.default_priority),
           'queued', coalesce((e.obj ->> 'run_at')::timestamptz, now()),
           coalesce((e.obj ->> 'max_attempts')::integer, t.max_attempts),
           coalesce((e.obj ->> 'max_attempts')::integer, t.max_attempts),
           coalesce((e.obj ->> 'timeout_seconds')::integer, t.timeout_seconds),
           coalesce(e.obj ->> 'rate_key', case when t.rate_key is not null
             then coalesce(e.obj -> 'payload', '{}') #>> string_to_array(t.rate_key, '.') end),
           e.obj ->> 'trace_context'
    from jsonb_array_elements(items) with ordinality e(obj, idx)
    join jobs.job_types t on t.name = e.obj ->> 'job_type'
    order by e.idx
    returning *
  )
  select * from added a order by a.id;
  perform jobs._work_due((select count(*)::integer from jsonb_array_elements(items) e(obj)
                          where coalesce((e.obj ->> 'run_at')::timestamptz, now()) <= now()));
end
$$;

-- enqueue_batch_ids(): enqueue_batch for bulk loads that need only the new jobs' ids, in
-- input order. The client then reads one column per job instead of the whole row (the SDK's
-- enqueue_many_ids; docs/benchmarks.md measures the difference).
create function jobs.enqueue_batch_ids(items jsonb) returns table (id bigint)
language sql volatile security definer set search_path = '' as $$
  select b.id from jobs.enqueue_batch(enqueue_batch_ids.items) b
$$;

grant execute on function jobs.enqueue(text, jsonb, text, timestamptz, text, bigint[], integer,
                                       integer, text, text) to service_role;
grant execute on function jobs.enqueue_batch(jsonb) to service_role;
grant execute on function jobs.enqueue_batch_ids(jsonb) to service_role;
