-- supajobs engine, part 14: dependencies. A waiting job runs when all it depends on
-- succeeded, and is cancelled with the reason when one of them dies or is cancelled.

-- After jobs succeeded: count them off their dependents; those with none left become queued.
-- Runs as its own statement (fresh snapshot) so dependency rows committed by a concurrent
-- enqueue, which locked our rows FOR SHARE, are seen.
create function jobs._release_dependents(done_ids bigint[]) returns void
language plpgsql volatile as $$
declare
  released integer;
begin
  with counts as (
    select d.job_id, count(*) as n from jobs.job_dependencies d
    where d.depends_on_id = any(done_ids) group by d.job_id
  ), changed as (
    update jobs.jobs w
    set pending_dependencies = greatest(w.pending_dependencies - c.n, 0),
        status = case when w.pending_dependencies - c.n <= 0 then 'queued' else 'waiting' end::jobs.job_status,
        run_at = case when w.pending_dependencies - c.n <= 0 then greatest(w.run_at, now()) else w.run_at end,
        updated_at = now()
    from counts c
    where w.id = c.job_id and w.status = 'waiting'
    returning w.status, w.run_at
  )
  select count(*) into released from changed c where c.status = 'queued' and c.run_at <= now();
  perform jobs._work_due(released);
end
$$;

-- Cancel every job that (transitively) waits on one of root_ids, naming the cause.
create function jobs._cancel_dependents(root_ids bigint[]) returns integer
language plpgsql volatile as $$
declare
  cancelled integer;
begin
  with recursive downstream(id, cause) as (
    select d.job_id, d.depends_on_id from jobs.job_dependencies d where d.depends_on_id = any(root_ids)
    union
    select d.job_id, d.depends_on_id from jobs.job_dependencies d join downstream s on d.depends_on_id = s.id
  ), changed as (
    update jobs.jobs w
    set status = 'cancelled', finished_at = now(), cancelled_by_job = s.cause,
        cancel_reason = format('dependency %s was %s', s.cause,
          case when s.cause = any(root_ids) then (select c.status::text from jobs.jobs c where c.id = s.cause)
               else 'cancelled' end), updated_at = now()
    from (select distinct on (ds.id) ds.id, ds.cause from downstream ds order by ds.id, ds.cause) s
    where w.id = s.id and w.status in ('waiting', 'queued')
    returning w.id
  )
  select count(*) into cancelled from changed;
  return cancelled;
end
$$;

-- Bring back jobs cancelled because root_ids died (after a requeue), recomputing what they
-- still wait for.
create function jobs._revive_dependents(root_ids bigint[]) returns integer
language plpgsql volatile as $$
declare
  revived integer;
begin
  with recursive downstream(id) as (
    select j.id from jobs.jobs j where j.cancelled_by_job = any(root_ids) and j.status = 'cancelled'
    union
    select j.id from jobs.jobs j join downstream s on j.cancelled_by_job = s.id where j.status = 'cancelled'
  ), changed as (
    update jobs.jobs w
    set status = 'waiting', finished_at = null, cancelled_by_job = null, cancel_reason = null,
        pending_dependencies = (select count(*) from jobs.job_dependencies d
                                join jobs.jobs p on p.id = d.depends_on_id
                                where d.job_id = w.id and p.status <> 'succeeded'),
        updated_at = now()
    from downstream s where w.id = s.id
    returning w.id
  )
  select count(*) into revived from changed;
  return revived;
end
$$;
