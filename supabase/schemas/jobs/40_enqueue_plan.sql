-- supajobs engine, part 7: planning an enqueue (the general path, for single jobs and
-- batches). Ids are drawn before the insert so that jobs in one batch can depend on each
-- other by `ref`; an idempotency key already used returns the existing job instead of
-- creating one.

create type jobs._enqueue_plan as (
  idx integer, id bigint, is_new boolean, job_type text, payload jsonb, priority jobs.job_priority,
  run_at timestamptz, idempotency_key text, max_attempts integer, timeout_seconds integer,
  ref text, dep_ids bigint[], schedule_id uuid, rate_key text
);

create function jobs._plan_items(items jsonb) returns jobs._enqueue_plan[]
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

-- Reject dependency cycles inside a batch (jobs that already exist cannot depend on new ones).
create function jobs._check_cycles(plan jobs._enqueue_plan[]) returns void
language plpgsql immutable as $$
declare
  remaining bigint[] := array(select p.id from unnest(plan) p where p.is_new);
  removable bigint[];
begin
  loop
    removable := array(
      select p.id from unnest(plan) p
      where p.id = any(remaining)
        and not exists (select 1 from unnest(p.dep_ids) d where d = any(remaining)));
    exit when cardinality(removable) = 0;
    remaining := array(select r from unnest(remaining) r where r <> all(removable));
  end loop;
  if cardinality(remaining) > 0 then
    perform jobs._raise('SJ106', format('depends_on forms a cycle between jobs[%s]',
      (select string_agg((p.idx - 1)::text, '], jobs[' order by p.idx) from unnest(plan) p
       where p.id = any(remaining))));
  end if;
end
$$;
