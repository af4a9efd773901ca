-- Data of the scheduler (not schema): retention settings, and the housekeeping pg_cron jobs.
-- Idempotent: settings that exist are left alone; repair_schedules() unschedules and
-- schedules again only the pg_cron jobs that are missing or differ (supajobs-sweeper,
-- supajobs-retention, and one per enabled schedule). Where pg_cron is absent it stores
-- nothing in cron.job.

insert into jobs.settings (key, value, description) values
  ('retention.cron_run_details_days', '7',
   'cron.job_run_details rows older than this many days are deleted by the retention job'),
  ('retention.job_executions_days', '90',
   'finished job_executions rows older than this many days are deleted by the retention job'),
  ('cron.retention_schedule', '"17 3 * * *"',
   'UTC cron expression of the supajobs-retention pg_cron job')
on conflict (key) do nothing;

select jobs.repair_schedules();
