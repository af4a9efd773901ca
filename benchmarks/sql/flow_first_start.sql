-- The first start of the probe type, as epoch seconds (null before any).
select extract(epoch from min(a.started_at))::double precision from jobs.job_attempts a
where a.job_type = 'flow_probe';
