-- Empty the queue and its history between runs (superuser; not part of any timing).
truncate jobs.job_executions, jobs.job_dependencies, jobs.jobs restart identity cascade;
