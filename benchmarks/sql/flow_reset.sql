-- Between scenarios: no probe job, start or bucket is left.
delete from jobs.job_executions where job_type = 'flow_probe';
delete from jobs.jobs where job_type = 'flow_probe';
delete from jobs.rate_starts where job_type = 'flow_probe';
delete from jobs.rate_buckets where job_type = 'flow_probe';
