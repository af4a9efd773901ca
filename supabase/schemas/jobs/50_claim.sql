-- supajobs engine, part 10: claim. Hand out up to batch_size due jobs with a lease,
-- atomically, never twice. One internal _claim() behind two RPCs: claim() returns whole
-- rows for custom workers; claim_work() returns only what a worker needs to run a job, which
-- costs PostgreSQL and the client less per job. A claim only leases the jobs: the attempt's
-- history row is written when it ends (12_history.sql).

create function jobs._claim(worker_id text, job_types text[], batch_size integer,
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

create or replace function jobs.claim(worker_id text, job_types text[] default null,
                                      batch_size integer default 1,
                                      lease_seconds integer default null)
returns setof jobs.jobs
language sql volatile security definer set search_path = '' as $$
  select * from jobs._claim(worker_id, job_types, batch_size, lease_seconds)
$$;

create function jobs.claim_work(worker_id text, job_types text[] default null,
                                batch_size integer default 1, lease_seconds integer default null)
returns table (id bigint, job_type text, payload jsonb, attempts integer, timeout_seconds integer)
language sql volatile security definer set search_path = '' as $$
  select c.id, c.job_type, c.payload, c.attempts, c.timeout_seconds
  from jobs._claim(worker_id, job_types, batch_size, lease_seconds) c
$$;

grant execute on function jobs.claim(text, text[], integer, integer) to service_role;
grant execute on function jobs.claim_work(text, text[], integer, integer) to service_role;
