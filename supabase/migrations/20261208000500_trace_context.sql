-- Trace context kept with the job (issue 20, part 5): the enqueue RPCs store the producer's
-- W3C trace context, and jobs.trace_contexts() hands it to a worker that traces. The schema
-- files supabase/schemas/jobs/10_tables.sql, 30_validate.sql, 41_enqueue_items.sql,
-- 42_enqueue.sql and 96_traces.sql say the same; this makes the change on a deployed database.

alter table jobs.jobs add column trace_context text;

create function jobs._is_trace_context(value jsonb) returns boolean
language sql immutable parallel safe as $$
  select coalesce(jsonb_typeof(value), 'null') = 'null'
    or (jsonb_typeof(value) = 'string' and length(value #>> '{}') <= 600
        and (value #>> '{}') ~ '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}( [ -~]+)?$')
$$;

create or replace function jobs._item_problem(obj jsonb, label text, known_type boolean, limit_bytes integer)
returns text
language plpgsql stable parallel safe as $$
declare
  size integer;
begin
  if jsonb_typeof(obj) is distinct from 'object' then
    return format('SJ101|%s must be a JSON object describing a job', coalesce(nullif(rtrim(label, '.'), ''), 'job'));
  end if;
  if jsonb_typeof(obj -> 'job_type') is distinct from 'string' then
    return format('SJ100|%sjob_type is required (a string)', label);
  end if;
  if not known_type then
    return format('SJ100|%sjob_type %s is not a known job type (known: %s)', label, obj -> 'job_type',
      (select string_agg(t.name, ', ' order by t.name) from jobs.job_types t));
  end if;
  if obj ? 'payload' and jsonb_typeof(obj -> 'payload') is distinct from 'object' then
    return format('SJ101|%spayload must be a JSON object, got %s', label, coalesce(jsonb_typeof(obj -> 'payload'), 'null'));
  end if;
  size := octet_length((obj -> 'payload')::text);
  if size > limit_bytes then
    return format('SJ101|%spayload is %s bytes; the limit is %s bytes', label, size, limit_bytes);
  end if;
  if jsonb_typeof(obj -> 'priority') is not null and jsonb_typeof(obj -> 'priority') <> 'null'
     and coalesce(obj ->> 'priority', '') not in ('critical', 'high', 'medium', 'low') then
    return format('SJ104|%spriority %s is not one of critical, high, medium, low', label, obj -> 'priority');
  end if;
  if coalesce(jsonb_typeof(obj -> 'max_attempts'), 'null') <> 'null'
     and not jobs._is_int_in(obj -> 'max_attempts', 1, 5) then
    return format('SJ102|%smax_attempts must be an integer from 1 to 5, got %s', label, obj -> 'max_attempts');
  end if;
  if coalesce(jsonb_typeof(obj -> 'timeout_seconds'), 'null') <> 'null'
     and not jobs._is_int_in(obj -> 'timeout_seconds', 1, 1800) then
    return format('SJ103|%stimeout_seconds must be an integer from 1 to 1800 (30 minutes), got %s', label, obj -> 'timeout_seconds');
  end if;
  if coalesce(jsonb_typeof(obj -> 'run_at'), 'null') <> 'null'
     and (jsonb_typeof(obj -> 'run_at') <> 'string' or not jobs._is_timestamptz(obj ->> 'run_at')) then
    return format('SJ105|%srun_at %s is not a timestamp', label, obj -> 'run_at');
  end if;
  if coalesce(jsonb_typeof(obj -> 'idempotency_key'), 'null') <> 'null'
     and (jsonb_typeof(obj -> 'idempotency_key') <> 'string'
          or length(obj ->> 'idempotency_key') not between 1 and 200) then
    return format('SJ105|%sidempotency_key must be a string of 1 to 200 characters', label);
  end if;
  if coalesce(jsonb_typeof(obj -> 'ref'), 'null') not in ('null', 'string') then
    return format('SJ105|%sref must be a string', label);
  end if;
  if coalesce(jsonb_typeof(obj -> 'rate_key'), 'null') <> 'null'
     and (jsonb_typeof(obj -> 'rate_key') <> 'string' or length(obj ->> 'rate_key') not between 1 and 200) then
    return format('SJ105|%srate_key must be a string of 1 to 200 characters', label);
  end if;
  if not jobs._is_trace_context(obj -> 'trace_context') then
    return format('SJ105|%strace_context must be a W3C traceparent (00-<32 hex>-<16 hex>-<2 hex>), optionally followed by a space and a tracestate, at most 600 characters', label);
  end if;
  if coalesce(jsonb_typeof(obj -> 'depends_on'), 'null') not in ('null', 'array')
     or exists (select 1 from jsonb_array_elements(jobs._array_or_empty(obj -> 'depends_on')) d(v)
                where not (jsonb_typeof(d.v) = 'string' or jobs._is_int_in(d.v, 1, 2147483647)
                           or (jsonb_typeof(d.v) = 'number' and d.v::text ~ '^[0-9]+$'))) then
    return format('SJ106|%sdepends_on must be a list of job ids (or refs of jobs in the same batch)', label);
  end if;
  return null;
end
$$;

create or replace function jobs._item_plain(obj jsonb, known_type boolean, limit_bytes integer)
returns boolean
language sql immutable parallel safe as $$
  select jsonb_typeof(obj) = 'object' and known_type
    and coalesce(jsonb_typeof(obj -> 'payload'), 'object') = 'object'
    and octet_length(coalesce(obj -> 'payload', '{}')::text) <= limit_bytes
    and coalesce(jsonb_typeof(obj -> 'priority'), 'null') in ('null', 'string')
    and coalesce(obj ->> 'priority', 'medium') in ('critical', 'high', 'medium', 'low')
    and (coalesce(jsonb_typeof(obj -> 'max_attempts'), 'null') = 'null'
         or jobs._is_int_in(obj -> 'max_attempts', 1, 5))
    and (coalesce(jsonb_typeof(obj -> 'timeout_seconds'), 'null') = 'null'
         or jobs._is_int_in(obj -> 'timeout_seconds', 1, 1800))
    and coalesce(jsonb_typeof(obj -> 'run_at'), 'null') = 'null'
    and (coalesce(jsonb_typeof(obj -> 'idempotency_key'), 'null') = 'null'
         or (jsonb_typeof(obj -> 'idempotency_key') = 'string'
             and length(obj ->> 'idempotency_key') between 1 and 200))
    and coalesce(jsonb_typeof(obj -> 'ref'), 'null') in ('null', 'string')
    and (coalesce(jsonb_typeof(obj -> 'rate_key'), 'null') = 'null'
         or (jsonb_typeof(obj -> 'rate_key') = 'string' and length(obj ->> 'rate_key') between 1 and 200))
    and jobs._is_trace_context(obj -> 'trace_context')
    and coalesce(jsonb_typeof(obj -> 'depends_on'), 'null') in ('null', 'array')
    and jsonb_array_length(jobs._array_or_empty(obj -> 'depends_on')) = 0
$$;

create or replace function jobs._enqueue_items(items jsonb, single boolean default false)
returns setof jobs.jobs
language plpgsql volatile as $$
declare
  plan jobs._enqueue_plan[];
  dep_ids bigint[];
  found_ids bigint[];
  dep_status jsonb;
  expected integer;
  inserted integer;
  cancelled_ids bigint[];
  has_deps boolean;
begin
  perform jobs._check_items(items, single);
  if jsonb_array_length(items) = 0 then
    return;
  end if;
  plan := jobs._plan_items(items);
  has_deps := exists (select 1 from unnest(plan) p where cardinality(p.dep_ids) > 0);
  if has_deps then
    perform jobs._check_cycles(plan);
  end if;

  -- Lock existing dependencies FOR SHARE: a concurrent complete() of one of them waits for
  -- our commit and then sees our dependency rows, so no release is ever missed.
  if has_deps then
    dep_ids := array(select distinct d from unnest(plan) p, unnest(p.dep_ids) d
                     where p.is_new and d <> all(array(select q.id from unnest(plan) q where q.is_new)));
  end if;
  if cardinality(dep_ids) > 0 then
    select array_agg(j.id), jsonb_object_agg(j.id::text, j.status)
      into found_ids, dep_status
    from (select j.id, j.status from jobs.jobs j where j.id = any(dep_ids) order by j.id for share) j;
    if coalesce(cardinality(found_ids), 0) < cardinality(dep_ids) then
      perform jobs._raise('SJ106', format('depends_on: job %s does not exist',
        (select min(d) from unnest(dep_ids) d where d <> all(coalesce(found_ids, '{}')))));
    end if;
  end if;
  dep_status := coalesce(dep_status, '{}');

  insert into jobs.jobs as j (id, job_type, payload, priority, status, run_at, attempt_limit,
      max_attempts, timeout_seconds, idempotency_key, schedule_id, pending_dependencies,
      cancel_reason, cancelled_by_job, finished_at, rate_key, trace_context)
  select p.id, p.job_type, p.payload, p.priority,
         case when x.dead_dep is not null then 'cancelled'
              when x.pending > 0 then 'waiting' else 'queued' end::jobs.job_status,
         p.run_at, p.max_attempts, p.max_attempts, p.timeout_seconds, p.idempotency_key,
         p.schedule_id, x.pending,
         case when x.dead_dep is not null
              then format('dependency %s is %s', x.dead_dep, dep_status ->> x.dead_dep::text) end,
         x.dead_dep, case when x.dead_dep is not null then now() end, p.rate_key,
         items -> (p.idx - 1) ->> 'trace_context'  -- not in the plan: only the insert reads it
  from unnest(plan) p
  cross join lateral (
    select count(*) filter (where coalesce(dep_status ->> d::text, 'new') <> 'succeeded') as pending,
           min(d) filter (where dep_status ->> d::text in ('dead', 'cancelled')) as dead_dep
    from unnest(p.dep_ids) d) x
  where p.is_new
  on conflict (idempotency_key) where idempotency_key is not null do nothing;
  get diagnostics inserted = row_count;
  expected := (select count(*) from unnest(plan) p where p.is_new);
  if inserted < expected then
    -- A concurrent enqueue took one of our idempotency keys between plan and insert.
    raise exception using errcode = '40001',
      message = 'a concurrent enqueue used the same idempotency_key; retry the call';
  end if;

  if has_deps then
    insert into jobs.job_dependencies (job_id, depends_on_id)
    select distinct p.id, d from unnest(plan) p, unnest(p.dep_ids) d where p.is_new;
    -- A job depending on a new job that starts cancelled is cancelled too.
    cancelled_ids := array(select p.id from unnest(plan) p join jobs.jobs j on j.id = p.id
                           where p.is_new and j.status = 'cancelled');
    if cardinality(cancelled_ids) > 0 then
      perform jobs._cancel_dependents(cancelled_ids);
    end if;
  end if;
  perform jobs._work_due(
    (select count(*)::integer from unnest(plan) p where p.is_new and p.run_at <= now()));

  return query select j.* from unnest(plan) p join jobs.jobs j on j.id = p.id order by p.idx;
end
$$;

-- enqueue() takes trace_context: a new signature, so the old function (with rate_key,
-- 20261208000300) goes.
drop function jobs.enqueue(text, jsonb, text, timestamptz, text, bigint[], integer, integer, text);
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

create function jobs.trace_contexts(job_ids bigint[])
returns table (id bigint, trace_context text)
language sql stable security definer set search_path = '' as $$
  select j.id, j.trace_context from jobs.jobs j
  where j.id = any(trace_contexts.job_ids) and j.trace_context is not null
$$;

revoke all on function jobs._is_trace_context(jsonb),
  jobs.enqueue(text, jsonb, text, timestamptz, text, bigint[], integer, integer, text, text),
  jobs.trace_contexts(bigint[]) from public, anon, authenticated;
grant execute on function jobs.enqueue(text, jsonb, text, timestamptz, text, bigint[], integer,
                                       integer, text, text) to service_role;
grant execute on function jobs.trace_contexts(bigint[]) to service_role;
