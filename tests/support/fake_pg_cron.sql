-- A stand-in for pg_cron's catalogue in a scratch database: cron.job as pg_cron has it, and
-- cron.schedule / cron.unschedule recording what they are sent. With jobs._pg_cron_version
-- replaced, the compiler's output for a pg_cron that cannot be installed here (1.6) is what
-- these functions receive. Test-only; never part of a migration.
create schema cron;
create table cron.job (
  jobid    bigserial primary key,
  schedule text not null,
  command  text not null,
  database text not null default current_database(),
  active   boolean not null default true,
  jobname  text unique
);
create table cron.sent (n bigserial primary key, jobname text, schedule text, command text);

create function cron.schedule(job_name text, schedule text, command text) returns bigint
language sql as $$
  insert into cron.sent (jobname, schedule, command) values (job_name, schedule, command);
  insert into cron.job (jobname, schedule, command) values (job_name, schedule, command)
  returning jobid
$$;

create function cron.unschedule(job_id bigint) returns boolean
language sql as $$
  delete from cron.job where jobid = job_id returning true
$$;
