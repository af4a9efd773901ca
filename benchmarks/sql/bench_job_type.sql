-- The no-op job type: one attempt, no concurrency limit.
select name from jobs.upsert_job_type(name => 'bench_noop', max_attempts => 1,
                                      concurrency_limit => null);
