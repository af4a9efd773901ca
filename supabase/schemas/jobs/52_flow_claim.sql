-- supajobs engine, part 10b: flow control at claim (docs/flow-control.md). A job type with
-- rate_limits or key_concurrency (its flow_limited flag, read once per claim by _claim) has
-- a bucket per rate key. Admitting a job locks its bucket row, then counts: the starts of
-- each window and the key's running jobs. Claimers of one bucket so take turns, and no
-- window ever holds more starts than it allows, however many workers claim at once.

-- One row per (type, key) that has had a candidate job. paused_until: a handler reported
-- throttling (postpone_jobs). blocked_until: a hint, no start before then (a full window or
-- a pause); claims skip such buckets' jobs and idle workers sleep until it (rate_limit_wait).
create table jobs.rate_buckets (
  job_type      text not null,
  rate_key      text not null,  -- '' for jobs without a key (the type's shared bucket)
  paused_until  timestamptz,
  pause_reason  text,
  blocked_until timestamptz,
  primary key (job_type, rate_key)
);
alter table jobs.rate_buckets enable row level security;

-- The starts of the last (longest) window per bucket; older ones are pruned by the claims
-- of their bucket and by the sweep. Sliding windows, exact: a start is admitted only while
-- fewer than `starts` lie within the `per_seconds` before it.
create table jobs.rate_starts (
  job_type   text not null,
  rate_key   text not null,
  started_at timestamptz not null,
  job_id     bigint not null
);
alter table jobs.rate_starts enable row level security;
create index rate_starts_bucket_idx on jobs.rate_starts (job_type, rate_key, started_at);

-- Admit up to `want` due jobs of the flow-limited types, within every limit; returns their
-- ids and the instant their starts were recorded. Called by _claim (inherits its planner
-- settings); `slots` caps types that also have a concurrency_limit.
create function jobs._claim_flow(flow text[], want integer, slots jsonb,
                                 out ids bigint[], out stamp timestamptz)
language plpgsql volatile as $$
declare
  blocked text[];
  candidates bigint[];
begin
  -- Buckets that cannot start anything: blocked (paused, window full) or running as many
  -- as key_concurrency allows. Their jobs are walked past, not locked.
  blocked := array(
    select b.job_type || chr(31) || b.rate_key from jobs.rate_buckets b
    where b.job_type = any(flow) and b.blocked_until > now()
    union
    select r.job_type || chr(31) || coalesce(r.rate_key, '')
    from jobs.jobs r join jobs.job_types t on t.name = r.job_type
    where r.status = 'running' and r.job_type = any(flow) and t.key_concurrency is not null
    group by r.job_type, coalesce(r.rate_key, ''), t.key_concurrency
    having count(*) >= t.key_concurrency);
  candidates := array(
    select j.id from jobs.jobs j
    where j.status = 'queued' and j.run_at <= now() and j.job_type = any(flow)
      and j.job_type || chr(31) || coalesce(j.rate_key, '') <> all(blocked)
    order by j.priority, j.run_at, j.id
    limit want
    for update skip locked);
  if cardinality(candidates) = 0 then
    return;
  end if;
  insert into jobs.rate_buckets (job_type, rate_key)
  select distinct j.job_type, coalesce(j.rate_key, '') from jobs.jobs j where j.id = any(candidates)
  on conflict do nothing;
  -- One order for every claimer (type, key): no deadlock between claimers of several buckets.
  perform 1 from jobs.rate_buckets b
  where (b.job_type, b.rate_key) in (select j.job_type, coalesce(j.rate_key, '')
                                     from jobs.jobs j where j.id = any(candidates))
  order by b.job_type, b.rate_key
  for update;
  -- Read after the lock: later than every start the previous holder recorded (now() is this
  -- transaction's start, which may precede them).
  stamp := clock_timestamp();

  ids := array(
    with c as (
      select j.id, j.job_type, coalesce(j.rate_key, '') as k, j.priority, j.run_at,
             row_number() over (partition by j.job_type, coalesce(j.rate_key, '')
                                order by j.priority, j.run_at, j.id) as n
      from jobs.jobs j where j.id = any(candidates)
    ), room as (
      select b.job_type, b.rate_key,
             case when b.paused_until > stamp then 0 else least(
               coalesce(t.key_concurrency - (select count(*) from jobs.jobs r
                          where r.status = 'running' and r.job_type = b.job_type
                            and coalesce(r.rate_key, '') = b.rate_key), want),
               coalesce((select min((w.v ->> 'starts')::integer - (select count(*) from jobs.rate_starts s
                           where s.job_type = b.job_type and s.rate_key = b.rate_key
                             and s.started_at > stamp - make_interval(secs => (w.v ->> 'per_seconds')::double precision)))
                         from jsonb_array_elements(t.rate_limits) w(v)), want)) end as free
      from jobs.rate_buckets b join jobs.job_types t on t.name = b.job_type
      where (b.job_type, b.rate_key) in (select c.job_type, c.k from c)
    ), kept as (
      select c.id, c.job_type, c.priority, c.run_at,
             row_number() over (partition by c.job_type order by c.priority, c.run_at, c.id) as m
      from c join room r on r.job_type = c.job_type and r.rate_key = c.k
      where c.n <= r.free
    )
    select kept.id from kept
    where kept.m <= coalesce((slots ->> kept.job_type)::integer, want)
    order by kept.priority, kept.run_at, kept.id);

  insert into jobs.rate_starts (job_type, rate_key, started_at, job_id)
  select j.job_type, coalesce(j.rate_key, ''), stamp, j.id
  from jobs.jobs j join jobs.job_types t on t.name = j.job_type
  where j.id = any(ids) and t.rate_limits is not null;
  -- The hint for the next claims: when the fullest window frees a start (or the pause ends).
  update jobs.rate_buckets b
  set blocked_until = greatest(b.paused_until, (
        select max(f.frees) from jsonb_array_elements(t.rate_limits) w(v)
        cross join lateral (
          select min(s.started_at) + make_interval(secs => (w.v ->> 'per_seconds')::double precision) as frees,
                 count(*) as n
          from jobs.rate_starts s
          where s.job_type = b.job_type and s.rate_key = b.rate_key
            and s.started_at > stamp - make_interval(secs => (w.v ->> 'per_seconds')::double precision)) f
        where f.n >= (w.v ->> 'starts')::integer))
  from jobs.job_types t
  where t.name = b.job_type
    and (b.job_type, b.rate_key) in (select j.job_type, coalesce(j.rate_key, '')
                                     from jobs.jobs j where j.id = any(candidates));
  delete from jobs.rate_starts s
  using jobs.job_types t
  where t.name = s.job_type and t.rate_limits is not null
    and (s.job_type, s.rate_key) in (select j.job_type, coalesce(j.rate_key, '')
                                     from jobs.jobs j where j.id = any(candidates))
    and s.started_at <= stamp - make_interval(secs => (
          select max((w.v ->> 'per_seconds')::double precision) from jsonb_array_elements(t.rate_limits) w(v)));
end
$$;
