-- supajobs engine, part 17: what the queue looks like (queue_stats) and its housekeeping
-- (sweep, run by pg_cron: supabase/data/cron.sql).

-- Per type and status: how many, how long the oldest due one has waited, and the type's
-- health over the last hour.
create function jobs.queue_stats()
returns table (job_type text, status text, jobs bigint, oldest_due_age_seconds double precision,
               attempts_1h bigint, failures_1h bigint, failure_rate_1h double precision,
               consecutive_failures integer, breaker_open boolean)
language sql stable security definer set search_path = '' as $$
  with counts as (
    select j.job_type, j.status::text as status, count(*) as n,
           extract(epoch from now() - min(j.run_at) filter (where j.status = 'queued' and j.run_at <= now())) as oldest
    from jobs.jobs j group by j.job_type, j.status
  ), health as (
    select x.job_type, count(*) as finished,
           count(*) filter (where x.status in ('failed', 'timed_out')) as failed
    from jobs.job_executions x
    where x.started_at > now() - interval '3 hours' and x.completed_at > now() - interval '1 hour'
      and x.status in ('completed', 'failed', 'timed_out')
      and not x.execution_metadata ? 'lease_expired'
    group by x.job_type
  )
  select t.name, c.status, coalesce(c.n, 0), c.oldest::double precision,
         coalesce(h.finished, 0), coalesce(h.failed, 0),
         case when h.finished > 0 then h.failed::double precision / h.finished end,
         t.consecutive_failures,
         exists (select 1 from jobs.circuit_breakers b where b.scope in ('global', 'type:' || t.name))
  from jobs.job_types t
  left join counts c on c.job_type = t.name
  left join health h on h.job_type = t.name
  order by t.name, c.status
$$;

-- Housekeeping, run by pg_cron: reap expired leases, repair dependency counts, wake workers
-- for anything due (covers lost webhooks).
create function jobs.sweep() returns jsonb
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

grant execute on function jobs.queue_stats() to service_role;
grant execute on function jobs.sweep() to service_role;
