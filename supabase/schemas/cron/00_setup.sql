-- Scheduling on pg_cron, part 1: the extension (only where pg_cron may live) and the
-- parsed-expression type. The columns the compiler fills in are in jobs.job_schedules
-- (jobs/10_tables.sql); the retention settings and the housekeeping pg_cron jobs are data
-- (supabase/data/cron.sql). All scheduling functions live in schema `jobs`.

-- pg_cron can only be created in the database named by cron.database_name; everywhere else
-- (per-test clones, other databases) schedules are stored and fired by hand, never synced.
do $$
begin
  if current_database() = current_setting('cron.database_name', true) then
    create extension if not exists pg_cron;
  end if;
end
$$;

-- One parsed cron expression. Sets are sorted and distinct; *_star follow croniter's rules
-- (they decide the day-of-month/day-of-week OR and the DST-gap behaviour).
create type jobs.cron_spec as (
  minutes     integer[],
  hours       integer[],
  doms        integer[],
  dom_last    boolean,
  months      integer[],
  dows        integer[],
  minute_star boolean,
  hour_star   boolean,
  dom_star    boolean,
  month_star  boolean,
  dow_star    boolean
);
