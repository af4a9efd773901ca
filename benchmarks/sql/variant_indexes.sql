-- Experiment only, never a migration: what fewer index writes per attempt would buy.
-- job_executions: index started_at (set once) instead of completed_at, and leave room on each
-- page, so the completion UPDATE can be HOT (no index inserts at all).
alter table jobs.job_executions set (fillfactor = 70);
drop index jobs.job_executions_completed_idx;
create index job_executions_started_idx on jobs.job_executions (started_at);
-- jobs: one partial index over running jobs instead of two (jobs_running_idx stays).
drop index jobs.jobs_lease_idx;
