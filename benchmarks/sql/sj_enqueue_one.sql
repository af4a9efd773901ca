select id from jobs.enqueue(job_type => 'bench_noop', payload => %(payload)s);
