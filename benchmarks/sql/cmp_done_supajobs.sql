-- Succeeded jobs, and completed history rows (one per attempt is the promise).
select (select count(*) from jobs.jobs where status = 'succeeded'),
       (select count(*) from jobs.job_executions where status = 'completed');
