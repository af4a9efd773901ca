-- Jobs not finished yet (partial indexes cover queued and running).
select count(*) from jobs.jobs where status in ('waiting', 'queued', 'running');
