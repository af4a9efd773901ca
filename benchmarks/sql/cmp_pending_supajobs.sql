-- Is any job not finished yet? 1 or 0: the drain poll runs every 20 ms, and counting every
-- pending row each time would take CPU from the worker measured (same form for every system).
select count(*) from (select 1 from jobs.jobs where status in ('waiting', 'queued', 'running') limit 1) s;
