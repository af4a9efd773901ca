-- Fresh statistics and no dead tuples before each timed run, for both contenders alike.
vacuum (analyze) jobs.jobs, jobs.job_executions, public.bench_bare;
