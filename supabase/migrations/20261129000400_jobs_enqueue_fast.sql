-- enqueue(): the common call (no idempotency key, no dependencies, plainly valid arguments)
-- inserts the row directly. Anything else takes the general path (_enqueue_items), which
-- validates and words every problem exactly as before; so does a fast-path candidate whose
-- type is unknown or whose payload is too large.

create or replace function jobs.enqueue(
  job_type text, payload jsonb default '{}', priority text default null,
  run_at timestamptz default null, idempotency_key text default null,
  depends_on bigint[] default '{}', max_attempts integer default null,
  timeout_seconds integer default null)
returns jobs.jobs
language plpgsql volatile security definer set search_path = '' as $$
#variable_conflict use_variable
declare
  kind jobs.job_types;
  saved jobs.jobs;
begin
  if idempotency_key is null and coalesce(cardinality(depends_on), 0) = 0
     and jsonb_typeof(payload) = 'object'
     and (priority is null or priority in ('critical', 'high', 'medium', 'low'))
     and (max_attempts is null or max_attempts between 1 and 5)
     and (timeout_seconds is null or timeout_seconds between 1 and 1800) then
    select * into kind from jobs.job_types t where t.name = job_type;
    if kind.name is not null
       and octet_length(payload::text) <= (jobs._setting('payload_limit_bytes'))::integer then
      insert into jobs.jobs (job_type, payload, priority, status, run_at, attempt_limit,
                             max_attempts, timeout_seconds)
      values (kind.name, payload, coalesce(priority::jobs.job_priority, kind.default_priority),
              'queued', coalesce(run_at, now()), coalesce(max_attempts, kind.max_attempts),
              coalesce(max_attempts, kind.max_attempts),
              coalesce(timeout_seconds, kind.timeout_seconds))
      returning * into saved;
      perform jobs._work_due(case when saved.run_at <= now() then 1 else 0 end);
      return saved;
    end if;
  end if;
  select * into saved from jobs._enqueue_items(jsonb_build_array(jsonb_build_object(
    'job_type', job_type, 'payload', payload, 'priority', priority, 'run_at', run_at,
    'idempotency_key', idempotency_key, 'depends_on', to_jsonb(coalesce(depends_on, '{}')),
    'max_attempts', max_attempts, 'timeout_seconds', timeout_seconds)), true);
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
                           max_attempts, timeout_seconds)
    select t.name, coalesce(e.obj -> 'payload', '{}'),
           coalesce((nullif(e.obj ->> 'priority', ''))::jobs.job_priority, t.default_priority),
           'queued', coalesce((e.obj ->> 'run_at')::timestamptz, now()),
           coalesce((e.obj ->> 'max_attempts')::integer, t.max_attempts),
           coalesce((e.obj ->> 'max_attempts')::integer, t.max_attempts),
           coalesce((e.obj ->> 'timeout_seconds')::integer, t.timeout_seconds)
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
