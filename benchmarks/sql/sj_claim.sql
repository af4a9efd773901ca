select id, attempts
from jobs.claim(worker_id => %(worker_id)s, job_types => array['bench_noop'],
                batch_size => %(batch)s, lease_seconds => 300);
