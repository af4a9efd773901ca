-- supajobs engine, part 19: workers report themselves (resource use, capacity, mode) so
-- operators see who is alive. Nothing here is needed to run a job: workers stay stateless,
-- the job rows are the truth.

create table jobs.workers (
  worker_id    text primary key check (length(worker_id) between 1 and 200),
  mode         text not null default 'webhook' check (mode in ('webhook', 'listen')),
  started_at   timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  in_flight    integer not null default 0,
  capacity     integer not null default 0,
  rss_bytes    bigint,
  cpu_percent  double precision,
  memory_percent double precision,
  accepting    boolean not null default true,
  stopped_at   timestamptz
);
alter table jobs.workers enable row level security;

create function jobs.report_worker(worker_id text, stats jsonb default '{}')
returns jobs.workers
language plpgsql volatile security definer set search_path = '' as $$
#variable_conflict use_variable
declare
  saved jobs.workers;
begin
  if worker_id is null or length(worker_id) not between 1 and 200 then
    perform jobs._raise('SJ105', 'worker_id must be a string of 1 to 200 characters');
  end if;
  if jsonb_typeof(stats) is distinct from 'object' then
    perform jobs._raise('SJ105', 'stats must be a JSON object');
  end if;
  insert into jobs.workers as w (worker_id, mode, in_flight, capacity, rss_bytes, cpu_percent,
                                 memory_percent, accepting, stopped_at)
  values (worker_id, coalesce(stats ->> 'mode', 'webhook'), coalesce((stats ->> 'in_flight')::integer, 0),
          coalesce((stats ->> 'capacity')::integer, 0), (stats ->> 'rss_bytes')::bigint,
          (stats ->> 'cpu_percent')::double precision, (stats ->> 'memory_percent')::double precision,
          coalesce((stats ->> 'accepting')::boolean, true),
          case when (stats ->> 'stopped')::boolean then now() end)
  on conflict on constraint workers_pkey do update set
    mode = excluded.mode, last_seen_at = now(), in_flight = excluded.in_flight,
    capacity = excluded.capacity, rss_bytes = excluded.rss_bytes, cpu_percent = excluded.cpu_percent,
    memory_percent = excluded.memory_percent, accepting = excluded.accepting,
    stopped_at = excluded.stopped_at
  returning w.* into saved;
  return saved;
end
$$;

create function jobs.list_workers(seen_within interval default '10 minutes')
returns setof jobs.workers
language sql stable security definer set search_path = '' as $$
  select * from jobs.workers w where w.last_seen_at > now() - seen_within order by w.worker_id
$$;

grant execute on function jobs.report_worker(text, jsonb) to service_role;
grant execute on function jobs.list_workers(interval) to service_role;
