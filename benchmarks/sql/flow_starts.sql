-- Starts of the probe type (finished or running attempts), oldest first.
select extract(epoch from a.started_at)::double precision as at
from jobs.job_attempts a where a.job_type = 'flow_probe' order by a.started_at;
