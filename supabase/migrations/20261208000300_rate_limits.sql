-- Flow control (issue 20, part 1; docs/flow-control.md): rate limits per job type and key,
-- enforced at claim, exact under concurrency; key concurrency; postponement of throttled
-- jobs without spending an attempt. The schema files say the same (jobs/10_tables.sql,
-- 12_history.sql, 20_settings.sql, 30_validate.sql, 31_flow_validate.sql, 40..42 enqueue,
-- 50_claim.sql, 52_flow_claim.sql, 53_flow_postpone.sql, 91_stats.sql; data/jobs.sql).

alter table jobs.job_types
  add column rate_limits jsonb check (rate_limits is null or jsonb_typeof(rate_limits) = 'array'),
  add column rate_key text check (rate_key is null or length(rate_key) between 1 and 200),
  add column key_concurrency integer check (key_concurrency is null or key_concurrency > 0),
  add column flow_limited boolean generated always as (rate_limits is not null or key_concurrency is not null) stored;
alter table jobs.jobs add column rate_key text;
-- The history may be long: the new check is added NOT VALID (a short lock, no scan) and then
-- validated, which scans without blocking writers.
alter table jobs.job_executions
  drop constraint job_executions_status_check,
  add constraint job_executions_status_check check (status in
    ('running', 'completed', 'failed', 'timed_out', 'skipped', 'released', 'cancelled', 'throttled'))
  not valid;
alter table jobs.job_executions validate constraint job_executions_status_check;
alter type jobs._enqueue_plan add attribute rate_key text;

insert into jobs.settings (key, value, description) values
  ('max_postpone_seconds', '86400', 'longest postponement a throttled handler may ask for (RetryLaterError), in seconds'),
  ('max_postponements', '20', 'postponements of one job after which a throttled attempt fails like any other')
on conflict (key) do nothing;

-- supajobs engine, part 6b: validation of flow-control declarations (rate limits per job
-- type and key, docs/flow-control.md). upsert_job_type (20_settings.sql) raises what this finds.

-- The first problem of a flow-control declaration, or null (upsert_job_type raises it).
-- At most 4 windows of at most 10,000 starts: a limited claim counts each window's starts.
create function jobs._flow_problem(rate_limits jsonb, rate_key text, key_concurrency integer)
returns text
language sql immutable parallel safe as $$
  select case
    when rate_limits is not null and jsonb_typeof(rate_limits) <> 'array' then
      'rate_limits must be a list of {"starts": n, "per_seconds": s} (or null for none)'
    when rate_limits is not null and jsonb_array_length(rate_limits) not between 1 and 4 then
      format('rate_limits holds 1 to 4 windows (null for none), got %s', jsonb_array_length(rate_limits))
    when exists (select 1 from jsonb_array_elements(rate_limits) with ordinality w(v, i)
                 where jsonb_typeof(w.v) <> 'object' or (select count(*) from jsonb_object_keys(w.v)) <> 2
                    or not jobs._is_int_in(w.v -> 'starts', 1, 10000)
                    or jsonb_typeof(w.v -> 'per_seconds') <> 'number'
                    or (w.v ->> 'per_seconds')::numeric not between 0.001 and 2678400) then
      (select format('rate_limits[%s] must be {"starts": 1..10000, "per_seconds": 0.001..2678400 (31 days)}, got %s', w.i - 1, w.v)
       from jsonb_array_elements(rate_limits) with ordinality w(v, i)
       where jsonb_typeof(w.v) <> 'object' or (select count(*) from jsonb_object_keys(w.v)) <> 2
          or not jobs._is_int_in(w.v -> 'starts', 1, 10000) or jsonb_typeof(w.v -> 'per_seconds') <> 'number'
          or (w.v ->> 'per_seconds')::numeric not between 0.001 and 2678400
       order by w.i limit 1)
    when (select count(distinct (w.v ->> 'per_seconds')::numeric) from jsonb_array_elements(rate_limits) w(v))
         < jsonb_array_length(rate_limits) then
      'rate_limits names the same per_seconds twice; keep the tighter window'
    when key_concurrency is not null and key_concurrency < 1 then
      format('key_concurrency must be null (unlimited) or >= 1, got %s', key_concurrency)
    when rate_key is not null and (length(rate_key) > 200 or rate_key !~ '^[^.]+([.][^.]+)*$') then
      format('rate_key %L must be a payload field name or a dotted path (a.b), at most 200 characters', rate_key)
    when rate_key is not null and rate_limits is null and key_concurrency is null then
      'rate_key needs rate_limits or key_concurrency (a key alone limits nothing)'
  end
$$;

drop function jobs.upsert_job_type(text, text, integer, integer, double precision,
  double precision, integer, boolean);
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

-- The first problem of a request, as 'CODE|message', or null when it is valid.
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
  if coalesce(jsonb_typeof(obj -> 'depends_on'), 'null') not in ('null', 'array')
     or exists (select 1 from jsonb_array_elements(jobs._array_or_empty(obj -> 'depends_on')) d(v)
                where not (jsonb_typeof(d.v) = 'string' or jobs._is_int_in(d.v, 1, 2147483647)
                           or (jsonb_typeof(d.v) = 'number' and d.v::text ~ '^[0-9]+$'))) then
    return format('SJ106|%sdepends_on must be a list of job ids (or refs of jobs in the same batch)', label);
  end if;
  return null;
end
$$;

-- A cheap, set-friendly test that an item is certainly valid (the common case). Anything it
-- does not accept goes through _item_problem, which finds and words the problem.
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
    and coalesce(jsonb_typeof(obj -> 'depends_on'), 'null') in ('null', 'array')
    and jsonb_array_length(jobs._array_or_empty(obj -> 'depends_on')) = 0
$$;

create or replace function jobs._plan_items(items jsonb) returns jobs._enqueue_plan[]
language plpgsql volatile as $$
declare
  plan jobs._enqueue_plan[];
  dangling text;
begin
  select array_agg(row(k.idx, k.id, k.is_new, k.job_type, k.payload, k.priority, k.run_at, k.key,
           k.max_attempts, k.timeout_seconds, k.ref, null, k.schedule_id, k.rate_key)::jobs._enqueue_plan order by k.idx)
    into plan
  from (
    select n.*, coalesce(n.existing_id, n.new_id, first_value(n.new_id) over (partition by n.key order by n.idx)) as id,
           n.existing_id is null and (n.key is null or n.idx = n.first_idx) as is_new
    from (
      select p.*, case when p.existing_id is null and (p.key is null or p.idx = p.first_idx)
                       then nextval('jobs.jobs_id_seq') end as new_id
      from (
        select e.idx::integer as idx, e.obj ->> 'job_type' as job_type,
               coalesce(e.obj -> 'payload', '{}') as payload,
               coalesce((nullif(e.obj ->> 'priority', ''))::jobs.job_priority, t.default_priority) as priority,
               coalesce((e.obj ->> 'run_at')::timestamptz, now()) as run_at,
               e.obj ->> 'idempotency_key' as key,
               coalesce((e.obj ->> 'max_attempts')::integer, t.max_attempts) as max_attempts,
               coalesce((e.obj ->> 'timeout_seconds')::integer, t.timeout_seconds) as timeout_seconds,
               e.obj ->> 'ref' as ref, (e.obj ->> 'schedule_id')::uuid as schedule_id,
               coalesce(e.obj ->> 'rate_key', case when t.rate_key is not null
                 then coalesce(e.obj -> 'payload', '{}') #>> string_to_array(t.rate_key, '.') end) as rate_key,
               (select j.id from jobs.jobs j where j.idempotency_key = e.obj ->> 'idempotency_key') as existing_id,
               min(e.idx) over (partition by e.obj ->> 'idempotency_key')::integer as first_idx
        from jsonb_array_elements(items) with ordinality e(obj, idx)
        join jobs.job_types t on t.name = e.obj ->> 'job_type'
        order by e.idx  -- ids are drawn in input order: FIFO within a batch
      ) p
    ) n
  ) k;

  if exists (select 1 from unnest(plan) p where p.ref is not null group by p.ref having count(*) > 1) then
    perform jobs._raise('SJ106', 'ref values must be unique within a batch');
  end if;
  if not exists (select 1 from jsonb_array_elements(items) e(obj)
                 where jsonb_array_length(jobs._array_or_empty(e.obj -> 'depends_on')) > 0) then
    return plan;  -- no dependencies anywhere: nothing to resolve
  end if;
  -- Resolve depends_on: numbers are job ids, strings are refs of jobs in this batch.
  select array_agg(row(p.idx, p.id, p.is_new, p.job_type, p.payload, p.priority, p.run_at,
           p.idempotency_key, p.max_attempts, p.timeout_seconds, p.ref,
           (select coalesce(array_agg(distinct coalesce(r.id, case when jsonb_typeof(d.v) = 'number' then (d.v #>> '{}')::bigint end)), '{}')
            from jsonb_array_elements(jobs._array_or_empty(items -> (p.idx - 1) -> 'depends_on')) d(v)
            left join unnest(plan) r on jsonb_typeof(d.v) = 'string' and r.ref = d.v #>> '{}'),
           p.schedule_id, p.rate_key)::jobs._enqueue_plan order by p.idx)
    into plan from unnest(plan) p;
  select format('jobs[%s].depends_on: %s names no job in this batch', e.idx - 1, d.v) into dangling
  from jsonb_array_elements(items) with ordinality e(obj, idx),
       jsonb_array_elements(jobs._array_or_empty(e.obj -> 'depends_on')) d(v)
  where jsonb_typeof(d.v) = 'string'
    and not exists (select 1 from unnest(plan) r where r.ref = d.v #>> '{}')
  limit 1;
  if dangling is not null then
    perform jobs._raise('SJ106', dangling);
  end if;
  return plan;
end
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
      cancel_reason, cancelled_by_job, finished_at, rate_key)
  select p.id, p.job_type, p.payload, p.priority,
         case when x.dead_dep is not null then 'cancelled'
              when x.pending > 0 then 'waiting' else 'queued' end::jobs.job_status,
         p.run_at, p.max_attempts, p.max_attempts, p.timeout_seconds, p.idempotency_key,
         p.schedule_id, x.pending,
         case when x.dead_dep is not null
              then format('dependency %s is %s', x.dead_dep, dep_status ->> x.dead_dep::text) end,
         x.dead_dep, case when x.dead_dep is not null then now() end, p.rate_key
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

drop function jobs.enqueue(text, jsonb, text, timestamptz, text, bigint[], integer, integer);
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
  timeout_seconds integer default null, rate_key text default null)
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
     and (rate_key is null or length(rate_key) between 1 and 200) then
    -- No row when the type is unknown or the payload too large: the general path below
    -- then words the error.
    insert into jobs.jobs (job_type, payload, priority, status, run_at, attempt_limit,
                           max_attempts, timeout_seconds, rate_key)
    select t.name, payload, coalesce(priority::jobs.job_priority, t.default_priority),
           'queued', coalesce(run_at, now()), coalesce(max_attempts, t.max_attempts),
           coalesce(max_attempts, t.max_attempts), coalesce(timeout_seconds, t.timeout_seconds),
           -- the rate key: given, or read from the payload when the type names a field
           coalesce(rate_key, case when t.rate_key is not null
                                   then payload #>> string_to_array(t.rate_key, '.') end)
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
    'max_attempts', max_attempts, 'timeout_seconds', timeout_seconds, 'rate_key', rate_key)), true);
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
                           max_attempts, timeout_seconds, rate_key)
    select t.name, coalesce(e.obj -> 'payload', '{}'),
           coalesce((nullif(e.obj ->> 'priority', ''))::jobs.job_priority, t.default_priority),
           'queued', coalesce((e.obj ->> 'run_at')::timestamptz, now()),
           coalesce((e.obj ->> 'max_attempts')::integer, t.max_attempts),
           coalesce((e.obj ->> 'max_attempts')::integer, t.max_attempts),
           coalesce((e.obj ->> 'timeout_seconds')::integer, t.timeout_seconds),
           coalesce(e.obj ->> 'rate_key', case when t.rate_key is not null
             then coalesce(e.obj -> 'payload', '{}') #>> string_to_array(t.rate_key, '.') end)
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

create or replace function jobs._claim(worker_id text, job_types text[], batch_size integer,
                            lease_seconds integer)
returns setof jobs.jobs
language plpgsql volatile
-- A backlog that appeared since the last ANALYZE makes the planner pick a bitmap scan that
-- sorts every queued job on each claim (O(backlog) per claim). Only the ordered walk of
-- jobs_claim_idx keeps a claim's cost independent of the backlog.
set enable_bitmapscan = off set enable_seqscan = off as $$
#variable_conflict use_variable
declare
  lease interval;
  paused text[];
  limited text[];
  flow text[];
  slots jsonb;
  picked bigint[];
  flow_ids bigint[] := '{}';
  stamp timestamptz;
begin
  if worker_id is null or length(worker_id) not between 1 and 200 then
    perform jobs._raise('SJ105', 'worker_id must be a string of 1 to 200 characters');
  end if;
  if batch_size is null or batch_size not between 1 and 1000 then
    perform jobs._raise('SJ105', format('batch_size must be from 1 to 1000, got %s', coalesce(batch_size::text, 'null')));
  end if;
  -- A claim lost in a crash only means the job runs again (at-least-once, as after a lost
  -- lease), so its commit need not wait for the disk; the completion's synchronous commit
  -- flushes the claim's WAL before its own (docs/decisions.md, "Claims commit asynchronously").
  perform set_config('synchronous_commit', 'off', true);
  lease := make_interval(secs => coalesce(lease_seconds, (jobs._setting('default_lease_seconds'))::integer));
  if exists (select 1 from jobs.jobs j where j.status = 'running' and j.lease_expires_at < now()) then
    perform jobs._reap_expired();  -- a worker died or a job outlived its timeout
  end if;

  paused := array(select substr(b.scope, 6) from jobs.circuit_breakers b where b.scope like 'type:%');
  if exists (select 1 from jobs.circuit_breakers b where b.scope = 'global') then
    -- The global breaker is open: only types that must still get out (alerts) are handed out.
    paused := paused || array(select t.name from jobs.job_types t where not t.bypass_breakers);
  end if;
  -- One read of the types for both lists. The ordered subquery keeps the planner on the
  -- primary key: with enable_seqscan off, a plain scan is costed so high that JIT compiles it.
  select coalesce(array_agg(t.name) filter (where t.concurrency_limit is not null), '{}'),
         coalesce(array_agg(t.name) filter (where t.flow_limited), '{}')
    into limited, flow
  from (select t.name, t.concurrency_limit, t.flow_limited from jobs.job_types t
        where (t.concurrency_limit is not null or t.flow_limited) and t.name <> all(paused)
          and (job_types is null or t.name = any(job_types))
        order by t.name) t;

  if cardinality(limited) > 0 then
    -- Concurrency-limited types: serialise their claimers on the type row, then count.
    perform 1 from jobs.job_types t where t.name = any(limited) order by t.name for update;
    select jsonb_object_agg(t.name, t.concurrency_limit - coalesce(r.running, 0)) into slots
    from jobs.job_types t
    left join (select j.job_type, count(*) as running from jobs.jobs j
               where j.status = 'running' and j.job_type = any(limited) group by j.job_type) r
      on r.job_type = t.name
    where t.name = any(limited);
    paused := paused || array(select key from jsonb_each_text(slots) where value::integer <= 0);
  end if;
  if cardinality(flow) > 0 then
    -- Rate-limited types (52_flow_claim.sql) first: their starts are reserved in their
    -- buckets as they are admitted, so the plain walk below only fills what is left.
    flow := array(select f from unnest(flow) f where f <> all(paused));
    select f.ids, f.stamp into flow_ids, stamp from jobs._claim_flow(flow, batch_size, slots) f;
    flow_ids := coalesce(flow_ids, '{}');
    paused := paused || flow;
  end if;

  picked := array(
    select j.id from jobs.jobs j
    where j.status = 'queued' and j.run_at <= now()
      and (job_types is null or j.job_type = any(job_types))
      and j.job_type <> all(paused)
    order by j.priority, j.run_at, j.id
    limit batch_size - cardinality(flow_ids)
    for update skip locked);
  if slots is not null then
    -- Keep, per limited type, only as many as it has free slots (in claim order).
    picked := array(
      select c.id from (
        select j.id, j.job_type, row_number() over (partition by j.job_type
                 order by j.priority, j.run_at, j.id) as n, j.priority, j.run_at
        from jobs.jobs j where j.id = any(picked)) c
      where c.n <= coalesce((slots ->> c.job_type)::integer, batch_size)
      order by c.priority, c.run_at, c.id);
  end if;
  picked := picked || flow_ids;
  if cardinality(picked) = 0 then
    return;
  end if;

  return query
  with claimed as (
    update jobs.jobs j
    set status = 'running', attempts = j.attempts + 1, worker_id = _claim.worker_id,
        -- an admitted limited job starts at the instant its bucket recorded (not the
        -- transaction's start), so counting starts in the history matches the limiter
        started_at = case when j.id = any(flow_ids) then stamp else now() end,
        timeout_at = now() + make_interval(secs => j.timeout_seconds),
        lease_expires_at = least(now() + lease, now() + make_interval(secs => j.timeout_seconds)),
        updated_at = now()
    where j.id = any(picked)
    returning j.*
  )
  select c.* from claimed c order by c.priority, c.run_at, c.id;
end
$$;

-- supajobs engine, part 10b: flow control at claim (docs/flow-control.md). A job type with
-- rate_limits or key_concurrency (its flow_limited flag, read once per claim by _claim) has
-- a bucket per rate key. Admitting a job locks its bucket row, then counts: the starts of
-- each window and the key's running jobs. Claimers of one bucket so take turns, and no
-- window ever holds more starts than it allows, however many workers claim at once.

-- One row per (type, key) that has had a candidate job. paused_until: a handler reported
-- throttling (postpone_jobs). blocked_until: a hint, no start before then (a full window or
-- a pause); claims skip such buckets' jobs and idle workers sleep until it (rate_limit_wait).
create table jobs.rate_buckets (
  job_type      text not null,
  rate_key      text not null,  -- '' for jobs without a key (the type's shared bucket)
  paused_until  timestamptz,
  pause_reason  text,
  blocked_until timestamptz,
  primary key (job_type, rate_key)
);
alter table jobs.rate_buckets enable row level security;

-- The starts of the last (longest) window per bucket; older ones are pruned by the claims
-- of their bucket and by the sweep. Sliding windows, exact: a start is admitted only while
-- fewer than `starts` lie within the `per_seconds` before it.
create table jobs.rate_starts (
  job_type   text not null,
  rate_key   text not null,
  started_at timestamptz not null,
  job_id     bigint not null
);
alter table jobs.rate_starts enable row level security;
create index rate_starts_bucket_idx on jobs.rate_starts (job_type, rate_key, started_at);

-- Admit up to `want` due jobs of the flow-limited types, within every limit; returns their
-- ids and the instant their starts were recorded. Called by _claim (inherits its planner
-- settings); `slots` caps types that also have a concurrency_limit.
create function jobs._claim_flow(flow text[], want integer, slots jsonb,
                                 out ids bigint[], out stamp timestamptz)
language plpgsql volatile as $$
declare
  blocked text[];
  candidates bigint[];
begin
  -- Buckets that cannot start anything: blocked (paused, window full) or running as many
  -- as key_concurrency allows. Their jobs are walked past, not locked.
  blocked := array(
    select b.job_type || chr(31) || b.rate_key from jobs.rate_buckets b
    where b.job_type = any(flow) and b.blocked_until > now()
    union
    select r.job_type || chr(31) || coalesce(r.rate_key, '')
    from jobs.jobs r join jobs.job_types t on t.name = r.job_type
    where r.status = 'running' and r.job_type = any(flow) and t.key_concurrency is not null
    group by r.job_type, coalesce(r.rate_key, ''), t.key_concurrency
    having count(*) >= t.key_concurrency);
  candidates := array(
    select j.id from jobs.jobs j
    where j.status = 'queued' and j.run_at <= now() and j.job_type = any(flow)
      and j.job_type || chr(31) || coalesce(j.rate_key, '') <> all(blocked)
    order by j.priority, j.run_at, j.id
    limit want
    for update skip locked);
  if cardinality(candidates) = 0 then
    return;
  end if;
  insert into jobs.rate_buckets (job_type, rate_key)
  select distinct j.job_type, coalesce(j.rate_key, '') from jobs.jobs j where j.id = any(candidates)
  on conflict do nothing;
  -- One order for every claimer (type, key): no deadlock between claimers of several buckets.
  perform 1 from jobs.rate_buckets b
  where (b.job_type, b.rate_key) in (select j.job_type, coalesce(j.rate_key, '')
                                     from jobs.jobs j where j.id = any(candidates))
  order by b.job_type, b.rate_key
  for update;
  -- Read after the lock: later than every start the previous holder recorded (now() is this
  -- transaction's start, which may precede them).
  stamp := clock_timestamp();

  ids := array(
    with c as (
      select j.id, j.job_type, coalesce(j.rate_key, '') as k, j.priority, j.run_at,
             row_number() over (partition by j.job_type, coalesce(j.rate_key, '')
                                order by j.priority, j.run_at, j.id) as n
      from jobs.jobs j where j.id = any(candidates)
    ), room as (
      select b.job_type, b.rate_key,
             case when b.paused_until > stamp then 0 else least(
               coalesce(t.key_concurrency - (select count(*) from jobs.jobs r
                          where r.status = 'running' and r.job_type = b.job_type
                            and coalesce(r.rate_key, '') = b.rate_key), want),
               coalesce((select min((w.v ->> 'starts')::integer - (select count(*) from jobs.rate_starts s
                           where s.job_type = b.job_type and s.rate_key = b.rate_key
                             and s.started_at > stamp - make_interval(secs => (w.v ->> 'per_seconds')::double precision)))
                         from jsonb_array_elements(t.rate_limits) w(v)), want)) end as free
      from jobs.rate_buckets b join jobs.job_types t on t.name = b.job_type
      where (b.job_type, b.rate_key) in (select c.job_type, c.k from c)
    ), kept as (
      select c.id, c.job_type, c.priority, c.run_at,
             row_number() over (partition by c.job_type order by c.priority, c.run_at, c.id) as m
      from c join room r on r.job_type = c.job_type and r.rate_key = c.k
      where c.n <= r.free
    )
    select kept.id from kept
    where kept.m <= coalesce((slots ->> kept.job_type)::integer, want)
    order by kept.priority, kept.run_at, kept.id);

  insert into jobs.rate_starts (job_type, rate_key, started_at, job_id)
  select j.job_type, coalesce(j.rate_key, ''), stamp, j.id
  from jobs.jobs j join jobs.job_types t on t.name = j.job_type
  where j.id = any(ids) and t.rate_limits is not null;
  -- The hint for the next claims: when the fullest window frees a start (or the pause ends).
  update jobs.rate_buckets b
  set blocked_until = greatest(b.paused_until, (
        select max(f.frees) from jsonb_array_elements(t.rate_limits) w(v)
        cross join lateral (
          select min(s.started_at) + make_interval(secs => (w.v ->> 'per_seconds')::double precision) as frees,
                 count(*) as n
          from jobs.rate_starts s
          where s.job_type = b.job_type and s.rate_key = b.rate_key
            and s.started_at > stamp - make_interval(secs => (w.v ->> 'per_seconds')::double precision)) f
        where f.n >= (w.v ->> 'starts')::integer))
  from jobs.job_types t
  where t.name = b.job_type
    and (b.job_type, b.rate_key) in (select j.job_type, coalesce(j.rate_key, '')
                                     from jobs.jobs j where j.id = any(candidates));
  delete from jobs.rate_starts s
  using jobs.job_types t
  where t.name = s.job_type and t.rate_limits is not null
    and (s.job_type, s.rate_key) in (select j.job_type, coalesce(j.rate_key, '')
                                     from jobs.jobs j where j.id = any(candidates))
    and s.started_at <= stamp - make_interval(secs => (
          select max((w.v ->> 'per_seconds')::double precision) from jsonb_array_elements(t.rate_limits) w(v)));
end
$$;

-- supajobs engine, part 10c: flow control after claim (docs/flow-control.md). A handler the
-- remote side throttles postpones its job (postpone_jobs) without spending an attempt, and
-- pauses the job's bucket so the key's other jobs wait too. What the limits look like
-- (rate_limit_stats) and when an idle worker should claim again (rate_limit_wait).

-- Items: {job_id, attempt, seconds, error, key}. seconds is capped by max_postpone_seconds;
-- key (default: the job's own rate key) names the bucket of the job's type to pause; only
-- flow-limited types have buckets that claims read. The attempt is recorded as 'throttled'
-- and the attempt budget grows by one (like release_jobs). A job already postponed
-- max_postponements times fails instead, as an ordinary retryable failure.
create function jobs.postpone_jobs(worker_id text, postponements jsonb)
returns table (job_id bigint, outcome text, next_run_at timestamptz)
language plpgsql volatile security definer set search_path = '' as $$
declare
  cap double precision := (jobs._setting('max_postpone_seconds'))::double precision;
  most integer := (jobs._setting('max_postponements'))::integer;
  worn jsonb;
  failed jsonb := '[]';
  done jsonb;
begin
  if worker_id is null then
    perform jobs._raise('SJ105', 'worker_id is required');
  end if;
  if jsonb_typeof(postponements) is distinct from 'array' then
    perform jobs._raise('SJ105', 'postponements must be a JSON array of {job_id, attempt, seconds, error, key}');
  end if;
  select jsonb_agg(jsonb_build_object('job_id', j.id, 'attempt', j.attempts, 'retryable', true,
           'error', format('postponed %s times already (max_postponements); last: %s', most,
                           coalesce(nullif(e.v ->> 'error', ''), 'throttled')),
           'metadata', jsonb_build_object('throttled', true)))
    into worn
  from jsonb_array_elements(postponements) e(v)
  join jobs.jobs j on j.id = (e.v ->> 'job_id')::bigint
  where j.status = 'running' and j.worker_id = postpone_jobs.worker_id
    and (e.v ->> 'attempt' is null or j.attempts = (e.v ->> 'attempt')::integer)
    and (select count(*) from jobs.job_executions x
         where x.job_id = j.id and x.status = 'throttled') >= most;
  if worn is not null then
    select jsonb_agg(to_jsonb(f)) into failed from jobs._fail_owned(worn, worker_id) f;
  end if;

  with input as (
    select (e.v ->> 'job_id')::bigint as id, (e.v ->> 'attempt')::integer as attempt,
           left(coalesce(nullif(e.v ->> 'error', ''), 'throttled'), 10000) as error,
           least(greatest(coalesce((e.v ->> 'seconds')::double precision, 0), 0), cap) as secs,
           e.v ->> 'key' as key
    from jsonb_array_elements(postponements) e(v)
    where not exists (select 1 from jsonb_array_elements(coalesce(worn, '[]')) w(v)
                      where (w.v ->> 'job_id')::bigint = (e.v ->> 'job_id')::bigint)
  ), moved as (
    update jobs.jobs j
    set status = 'queued', attempt_limit = j.attempt_limit + 1,
        run_at = now() + make_interval(secs => i.secs), last_error = i.error,
        worker_id = null, lease_expires_at = null, timeout_at = null, updated_at = now()
    from input i
    where j.id = i.id and j.status = 'running' and j.worker_id = postpone_jobs.worker_id
      and (i.attempt is null or j.attempts = i.attempt)
    returning j.id, j.job_type, j.attempts, j.schedule_id, j.started_at, j.run_at, i.error,
              i.secs, coalesce(i.key, j.rate_key, '') as bucket_key
  ), recorded as (
    insert into jobs.job_executions (job_id, schedule_id, job_type, attempt, worker_id, status,
                                     started_at, completed_at, duration_ms, error_message,
                                     execution_metadata)
    select m.id, m.schedule_id, m.job_type, m.attempts, postpone_jobs.worker_id, 'throttled',
           m.started_at, now(), extract(epoch from now() - m.started_at) * 1000, m.error,
           jsonb_build_object('retry_after_seconds', m.secs, 'rate_key', m.bucket_key)
    from moved m
  )
  select coalesce(jsonb_agg(to_jsonb(m)), '[]') into done from moved m;

  -- Pause the buckets, in the claims' lock order (type, key): no deadlock with a claim.
  insert into jobs.rate_buckets as b (job_type, rate_key, paused_until, pause_reason, blocked_until)
  select m.job_type, m.bucket_key, max(m.run_at), left(max(m.error), 500), max(m.run_at)
  from jsonb_to_recordset(done) m(job_type text, bucket_key text, run_at timestamptz, error text,
                                  secs double precision)
  join jobs.job_types t on t.name = m.job_type and t.flow_limited
  where m.secs > 0
  group by m.job_type, m.bucket_key
  order by m.job_type, m.bucket_key
  on conflict (job_type, rate_key) do update set
    paused_until = greatest(b.paused_until, excluded.paused_until),
    pause_reason = excluded.pause_reason,
    blocked_until = greatest(b.blocked_until, excluded.blocked_until);
  perform jobs._work_due((select count(*)::integer from jsonb_to_recordset(done) m(run_at timestamptz)
                          where m.run_at <= now()));

  return query
  select (e.v ->> 'job_id')::bigint,
         coalesce(case when d.id is not null then 'postponed' end, f.outcome, 'lease_lost'),
         coalesce(d.run_at, f.next_run_at)
  from jsonb_array_elements(postponements) with ordinality e(v, n)
  left join jsonb_to_recordset(done) d(id bigint, run_at timestamptz) on d.id = (e.v ->> 'job_id')::bigint
  left join jsonb_to_recordset(failed) f(job_id bigint, outcome text, next_run_at timestamptz)
    on f.job_id = (e.v ->> 'job_id')::bigint
  order by e.n;
end
$$;

-- Seconds until the earliest blocked bucket of these types may start again (null: none is
-- blocked). A worker whose claim came back short sleeps that long before claiming again.
create function jobs.rate_limit_wait(job_types text[] default null) returns double precision
language sql stable security definer set search_path = '' as $$
  select extract(epoch from min(b.blocked_until) - clock_timestamp())::double precision
  from jobs.rate_buckets b
  where (rate_limit_wait.job_types is null or b.job_type = any(rate_limit_wait.job_types))
    and b.blocked_until > clock_timestamp()
$$;

-- Per bucket and limit: its capacity, what is used now and what remains, and any pause.
-- limit_kind 'starts': the starts within the last per_seconds; 'concurrency': running jobs.
create function jobs.rate_limit_stats()
returns table (job_type text, rate_key text, limit_kind text, capacity integer,
               per_seconds double precision, used bigint, remaining bigint,
               paused_until timestamptz, pause_reason text)
language sql stable security definer set search_path = '' as $$
  select b.job_type, b.rate_key, l.kind, l.capacity, l.per_seconds, l.used,
         greatest(l.capacity - l.used, 0), case when b.paused_until > now() then b.paused_until end,
         case when b.paused_until > now() then b.pause_reason end
  from jobs.rate_buckets b
  join jobs.job_types t on t.name = b.job_type
  cross join lateral (
    select 'starts'::text as kind, (w.v ->> 'starts')::integer as capacity,
           (w.v ->> 'per_seconds')::double precision as per_seconds,
           (select count(*) from jobs.rate_starts s
            where s.job_type = b.job_type and s.rate_key = b.rate_key
              and s.started_at > now() - make_interval(secs => (w.v ->> 'per_seconds')::double precision)) as used
    from jsonb_array_elements(coalesce(t.rate_limits, '[]')) w(v)
    union all
    select 'concurrency', t.key_concurrency, null,
           (select count(*) from jobs.jobs r where r.status = 'running' and r.job_type = b.job_type
              and coalesce(r.rate_key, '') = b.rate_key)
    where t.key_concurrency is not null) l
  order by b.job_type, b.rate_key, l.kind, l.per_seconds
$$;

grant execute on function jobs.postpone_jobs(text, jsonb) to service_role;
grant execute on function jobs.rate_limit_wait(text[]) to service_role;
grant execute on function jobs.rate_limit_stats() to service_role;

-- Housekeeping, run by pg_cron: reap expired leases, repair dependency counts, wake workers
-- for anything due (covers lost webhooks).
create or replace function jobs.sweep() returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  reaped integer := 0;
  batch integer;
  unblocked integer;
  due integer;
begin
  loop
    batch := jobs._reap_expired(500);
    reaped := reaped + batch;
    exit when batch < 500;
  end loop;
  with ready as (
    update jobs.jobs w set status = 'queued', pending_dependencies = 0, updated_at = now()
    where w.status = 'waiting'
      and not exists (select 1 from jobs.job_dependencies d join jobs.jobs p on p.id = d.depends_on_id
                      where d.job_id = w.id and p.status <> 'succeeded')
    returning w.id
  )
  select count(*) into unblocked from ready;
  -- Starts older than their type's longest window (or of a type that no longer has one).
  delete from jobs.rate_starts s
  where not exists (
    select 1 from jobs.job_types t
    where t.name = s.job_type and t.rate_limits is not null
      and s.started_at > now() - make_interval(secs => (
            select max((w.v ->> 'per_seconds')::double precision) from jsonb_array_elements(t.rate_limits) w(v))));
  select count(*) into due from jobs.jobs j where j.status = 'queued' and j.run_at <= now();
  perform jobs._work_due(due);
  return jsonb_build_object('reaped', reaped, 'unblocked', unblocked, 'due', due);
end
$$;

grant execute on function jobs.upsert_job_type(text, text, integer, integer, double precision,
                                               double precision, integer, boolean, jsonb, text,
                                               integer) to service_role;
grant execute on function jobs.enqueue(text, jsonb, text, timestamptz, text, bigint[], integer,
                                       integer, text) to service_role;

-- Privileges (security.sql does not run again): the new functions for nobody but their
-- grants, the new tables for service_role.
revoke all on all functions in schema jobs from public, anon, authenticated;
revoke all on jobs.rate_buckets, jobs.rate_starts from public, anon, authenticated;
grant select, insert, update, delete on jobs.rate_buckets, jobs.rate_starts to service_role;
