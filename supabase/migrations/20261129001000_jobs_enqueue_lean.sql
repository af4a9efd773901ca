-- enqueue(), fast path, fewer statements. Each call is usually its own transaction, and
-- PL/pgSQL sets up every statement and expression it runs afresh in each transaction, so
-- what a call costs grows with the number of statements more than with what they do
-- (pg_stat_statements; docs/decisions.md). Now the job type and the payload limit are read
-- by the INSERT itself; the wake-up stays _work_due(1), whose own checks got cheaper in
-- 20261129000800_jobs_wake_lean.sql.
-- Everything else, and every error, is as in 20261129000400_jobs_enqueue_fast.sql.

create or replace function jobs.enqueue(
  job_type text, payload jsonb default '{}', priority text default null,
  run_at timestamptz default null, idempotency_key text default null,
  depends_on bigint[] default '{}', max_attempts integer default null,
  timeout_seconds integer default null)
returns jobs.jobs
language plpgsql volatile security definer set search_path = '' as $$
#variable_conflict use_variable
declare
  saved jobs.jobs;
begin
  if idempotency_key is null and coalesce(cardinality(depends_on), 0) = 0
     and jsonb_typeof(payload) = 'object'
     and (priority is null or priority in ('critical', 'high', 'medium', 'low'))
     and (max_attempts is null or max_attempts between 1 and 5)
     and (timeout_seconds is null or timeout_seconds between 1 and 1800) then
    -- No row when the type is unknown or the payload too large: the general path below
    -- then words the error.
    insert into jobs.jobs (job_type, payload, priority, status, run_at, attempt_limit,
                           max_attempts, timeout_seconds)
    select t.name, payload, coalesce(priority::jobs.job_priority, t.default_priority),
           'queued', coalesce(run_at, now()), coalesce(max_attempts, t.max_attempts),
           coalesce(max_attempts, t.max_attempts), coalesce(timeout_seconds, t.timeout_seconds)
    from jobs.job_types t, jobs.settings s
    where t.name = job_type and s.key = 'payload_limit_bytes'
      and octet_length(payload::text) <= (s.value)::integer
    returning * into saved;
    if saved.id is not null then
      if saved.run_at <= now() then
        perform jobs._work_due(1);
      end if;
      return saved;
    end if;
  end if;
  select * into saved from jobs._enqueue_items(jsonb_build_array(jsonb_build_object(
    'job_type', job_type, 'payload', payload, 'priority', priority, 'run_at', run_at,
    'idempotency_key', idempotency_key, 'depends_on', to_jsonb(coalesce(depends_on, '{}')),
    'max_attempts', max_attempts, 'timeout_seconds', timeout_seconds)), true);
  return saved;
end
$$;

select jobs._secure_schema();
