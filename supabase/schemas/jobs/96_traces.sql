-- supajobs engine, part 22: trace context for the worker's spans. The enqueue RPCs store the
-- producer's W3C trace context with the job (jobs.jobs.trace_context); a worker that traces
-- reads it here for the jobs it just claimed, in one call per claim. claim_work does not
-- return it, so a worker that does not trace (the default) pays nothing for it.

create function jobs.trace_contexts(job_ids bigint[])
returns table (id bigint, trace_context text)
language sql stable security definer set search_path = '' as $$
  select j.id, j.trace_context from jobs.jobs j
  where j.id = any(trace_contexts.job_ids) and j.trace_context is not null
$$;

grant execute on function jobs.trace_contexts(bigint[]) to service_role;
