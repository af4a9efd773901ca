-- Every job succeeded, and job_executions holds exactly one completed row per job.
select
  (select count(*) from jobs.jobs) as jobs,
  (select count(*) from jobs.jobs where status = 'succeeded') as succeeded,
  (select count(*) from jobs.job_executions) as executions,
  (select count(*) from jobs.job_executions where status = 'completed') as executions_completed,
  (select count(*) from jobs.jobs j
   where (select count(*) from jobs.job_executions x where x.job_id = j.id) <> 1)
    as jobs_without_exactly_one_execution;
