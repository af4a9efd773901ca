-- supajobs engine, part 4: what happened. Attempts (job_executions, and the job_attempts view
-- that adds the running ones), circuit breakers and their trips, the dead letters.

-- One row per attempt (and per skipped schedule fire). status is the outcome. The row of an
-- attempt is written when the attempt ends (complete, fail, reap, release, cancel), not when
-- it is claimed: the claim is on every worker's critical path, the finish is batched off it
-- (docs/decisions.md, "History rows are written when an attempt ends").
-- job_id has no foreign key to jobs.jobs: measured on a 100-job batch (docs/benchmarks.md),
-- its RI lookup per history row was a quarter of complete_jobs' time. History rows are
-- written only by this schema's own functions, always for a job they have just locked, so
-- the insert-time check bought nothing; what its cascade did, deleting a job's history with
-- the job, purge_dead_letters() does itself (the only place jobs are deleted).
create table jobs.job_executions (
  id                 uuid primary key default gen_random_uuid(),
  job_id             bigint,
  schedule_id        uuid references jobs.job_schedules (id) on delete set null,
  job_type           text not null,
  attempt            integer,
  worker_id          text,
  status             text not null check (status in
                       ('running', 'completed', 'failed', 'timed_out', 'skipped', 'released', 'cancelled',
                        'throttled')),
  started_at         timestamptz not null default now(),
  completed_at       timestamptz,
  duration_ms        double precision,
  error_message      text,
  execution_metadata jsonb not null default '{}'
) with (fillfactor = 70);
alter table jobs.job_executions enable row level security;
-- Nothing an attempt's completion writes is indexed, and pages keep room (fillfactor), so
-- finishing an attempt is a HOT update. Time windows bound started_at: an attempt finishes
-- at most 30 minutes (the longest timeout) plus the reaping delay after it started.
create unique index job_executions_attempt_idx on jobs.job_executions (job_id, attempt);
create index job_executions_started_idx on jobs.job_executions (started_at);
create index job_executions_schedule_idx on jobs.job_executions (schedule_id, started_at desc)
  where schedule_id is not null;

-- Circuit breakers: scope 'global', 'type:<name>' or 'worker:<id>:<kind>' (97_worker_breakers.sql). A row
-- exists only for open breakers;
-- every trip is kept in breaker_trips.
create table jobs.circuit_breakers (
  scope     text primary key,
  reason    text not null,
  opened_at timestamptz not null default now()
);
alter table jobs.circuit_breakers enable row level security;

create table jobs.breaker_trips (
  id        bigint generated always as identity primary key,
  scope     text not null,
  reason    text not null,
  details   jsonb not null default '{}',
  opened_at timestamptz not null default now(),
  reset_at  timestamptz,
  reset_by  text
);
alter table jobs.breaker_trips enable row level security;
create index breaker_trips_open_idx on jobs.breaker_trips (scope) where reset_at is null;

create view jobs.dead_letters with (security_invoker = true) as
  select j.id, j.job_type, j.payload, j.priority, j.attempts, j.last_error, j.finished_at as died_at,
         j.created_at, j.schedule_id,
         coalesce((select jsonb_agg(jsonb_build_object(
             'attempt', e.attempt, 'status', e.status, 'worker_id', e.worker_id,
             'started_at', e.started_at, 'completed_at', e.completed_at,
             'error', e.error_message) order by e.attempt)
           from jobs.job_executions e where e.job_id = j.id), '[]'::jsonb) as attempt_history
  from jobs.jobs j
  where j.status = 'dead';

-- Every attempt: the finished ones, and the running attempt of each running job (its id is
-- derived from job and attempt, so it is stable while the attempt runs; its row is written
-- when it ends).
create view jobs.job_attempts with (security_invoker = true) as
  select x.id, x.job_id, x.schedule_id, x.job_type, x.attempt, x.worker_id, x.status,
         x.started_at, x.completed_at, x.duration_ms, x.error_message, x.execution_metadata
  from jobs.job_executions x
  union all
  select md5(j.id::text || '/' || j.attempts::text)::uuid, j.id, j.schedule_id, j.job_type,
         j.attempts, j.worker_id, 'running'::text, j.started_at, null::timestamptz,
         null::double precision, null::text, '{}'::jsonb
  from jobs.jobs j
  where j.status = 'running';
