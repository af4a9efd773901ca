-- Progress of long jobs (issue 20, part 2): jobs.jobs.progress, written by
-- jobs.report_progress (the worker, at most once a second) and read by get_job and
-- jobs.running_jobs (the dashboard's live view). The schema files
-- supabase/schemas/jobs/10_tables.sql and 54_progress.sql say the same.

alter table jobs.jobs add column progress jsonb;

create function jobs.report_progress(worker_id text, updates jsonb) returns integer
language plpgsql volatile security definer set search_path = '' as $$
#variable_conflict use_variable
declare
  problem text;
  changed integer;
begin
  if worker_id is null or length(worker_id) not between 1 and 200 then
    perform jobs._raise('SJ105', 'worker_id must be a string of 1 to 200 characters');
  end if;
  if jsonb_typeof(updates) is distinct from 'array' or jsonb_array_length(updates) > 1000 then
    perform jobs._raise('SJ105', 'updates must be a JSON array of at most 1000 progress reports');
  end if;
  select format('updates[%s]: %s', i - 1, p) into problem
  from jsonb_array_elements(updates) with ordinality u(e, i),
       lateral (select case
         when jsonb_typeof(e) <> 'object' then 'must be an object'
         when jsonb_typeof(e -> 'job_id') is distinct from 'number'
           or jsonb_typeof(e -> 'attempt') is distinct from 'number'
           then 'job_id and attempt are required numbers'
         when jsonb_typeof(e -> 'fraction') not in ('number', 'null')
           or (e ->> 'fraction')::numeric not between 0 and 1 then 'fraction must be from 0 to 1'
         when jsonb_typeof(e -> 'current') not in ('number', 'null')
           or (e ->> 'current')::numeric < 0 then 'current must be a number >= 0'
         when jsonb_typeof(e -> 'total') not in ('number', 'null')
           or (e ->> 'total')::numeric <= 0 then 'total must be a number > 0'
         when jsonb_typeof(e -> 'message') not in ('string', 'null')
           or length(e ->> 'message') > 500 then 'message must be a string of at most 500 characters'
       end as p) checked
  where p is not null
  order by i limit 1;
  if problem is not null then
    perform jobs._raise('SJ105', problem);
  end if;
  update jobs.jobs j
  set progress = jsonb_strip_nulls(jsonb_build_object(
        'attempt', j.attempts, 'current', u.e -> 'current', 'total', u.e -> 'total',
        'fraction', coalesce((u.e ->> 'fraction')::numeric,
                             least(1, (u.e ->> 'current')::numeric / (u.e ->> 'total')::numeric)),
        'message', u.e -> 'message', 'updated_at', now()))
  from jsonb_array_elements(updates) u(e)
  where j.id = (u.e ->> 'job_id')::bigint and j.status = 'running'
    and j.worker_id = report_progress.worker_id and j.attempts = (u.e ->> 'attempt')::integer;
  get diagnostics changed = row_count;
  return changed;
end
$$;

-- What runs now and how far it is (the dashboard's live view): oldest first.
create function jobs.running_jobs(max_rows integer default 50)
returns table (id bigint, job_type text, attempt integer, worker_id text, started_at timestamptz,
               lease_expires_at timestamptz, progress jsonb)
language sql stable security definer set search_path = '' as $$
  select j.id, j.job_type, j.attempts, j.worker_id, j.started_at, j.lease_expires_at,
         case when (j.progress ->> 'attempt')::integer = j.attempts then j.progress end
  from jobs.jobs j
  where j.status = 'running'
  order by j.started_at, j.id
  limit least(greatest(coalesce(max_rows, 50), 1), 500)
$$;

revoke all on function jobs.report_progress(text, jsonb), jobs.running_jobs(integer)
  from public, anon, authenticated;
grant execute on function jobs.report_progress(text, jsonb) to service_role;
grant execute on function jobs.running_jobs(integer) to service_role;
