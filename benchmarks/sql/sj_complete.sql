select count(*) filter (where outcome = 'completed')
from jobs.complete_jobs(worker_id => %(worker_id)s, completions => %(completions)s);
