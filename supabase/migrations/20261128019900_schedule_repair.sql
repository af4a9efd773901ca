-- Scheduling, last part: secure the new functions and tables (service_role only for RPCs),
-- then make cron.job match job_schedules (and create the housekeeping jobs) right away.
select jobs._secure_schema();
select jobs.repair_schedules();
