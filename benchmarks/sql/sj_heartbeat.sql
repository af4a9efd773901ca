select job_id, status
from jobs.heartbeat(worker_id => %(worker_id)s, job_ids => %(ids)s, lease_seconds => 300);
