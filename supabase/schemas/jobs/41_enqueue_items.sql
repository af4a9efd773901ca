-- supajobs engine, part 8: the general enqueue path. It validates and words every problem,
-- resolves dependencies and idempotency keys, and inserts a plan of any size in one
-- statement. enqueue() and enqueue_batch() (42_enqueue.sql) take it for everything their
-- direct inserts do not cover, and the scheduler (cron/80_fire.sql) and the breakers'
-- alerts (80_breakers.sql) enqueue through it.

create function jobs._enqueue_items(items jsonb, single boolean default false)
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
