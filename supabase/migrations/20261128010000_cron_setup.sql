-- Scheduling on pg_cron, part 1: the extension (only where pg_cron may live), the columns
-- the compiler fills in, the parsed-expression type and the retention settings.

-- pg_cron can only be created in the database named by cron.database_name; everywhere else
-- (per-test clones, other databases) schedules are stored and fired by hand, never synced.
do $$
begin
  if current_database() = current_setting('cron.database_name', true) then
    create extension if not exists pg_cron;
  end if;
end
$$;

-- utc_expression: what pg_cron runs (exact compilation or a carrier expression).
-- needs_guard: the carrier fires more often than the schedule; fire_schedule checks the
-- local time with jobs._cron_matches before creating a job.
alter table jobs.job_schedules
  add column utc_expression text,
  add column needs_guard boolean not null default false,
  add column cron_job_name text generated always as ('supajobs:' || name) stored,
  add column last_fired_at timestamptz,
  add column last_job_id bigint;

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

insert into jobs.settings (key, value, description) values
  ('retention.cron_run_details_days', '7',
   'cron.job_run_details rows older than this many days are deleted by the retention job'),
  ('retention.job_executions_days', '90',
   'finished job_executions rows older than this many days are deleted by the retention job'),
  ('cron.retention_schedule', '"17 3 * * *"',
   'UTC cron expression of the supajobs-retention pg_cron job')
on conflict (key) do nothing;
