-- The probe type of benchmarks/rate_limits.py with one scenario's limits.
select name from jobs.upsert_job_type(name => 'flow_probe', max_attempts => 1, timeout_seconds => 60,
                                      rate_limits => %(windows)s::jsonb, rate_key => 'account',
                                      key_concurrency => null);
