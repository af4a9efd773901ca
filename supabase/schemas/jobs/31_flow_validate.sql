-- supajobs engine, part 6b: validation of flow-control declarations (rate limits per job
-- type and key, docs/flow-control.md). upsert_job_type (20_settings.sql) raises what this finds.

-- The first problem of a flow-control declaration, or null (upsert_job_type raises it).
-- At most 4 windows of at most 10,000 starts: a limited claim counts each window's starts.
create function jobs._flow_problem(rate_limits jsonb, rate_key text, key_concurrency integer)
returns text
language sql immutable parallel safe as $$
  select case
    when rate_limits is not null and jsonb_typeof(rate_limits) <> 'array' then
      'rate_limits must be a list of {"starts": n, "per_seconds": s} (or null for none)'
    when rate_limits is not null and jsonb_array_length(rate_limits) not between 1 and 4 then
      format('rate_limits holds 1 to 4 windows (null for none), got %s', jsonb_array_length(rate_limits))
    when exists (select 1 from jsonb_array_elements(rate_limits) with ordinality w(v, i)
                 where jsonb_typeof(w.v) <> 'object' or (select count(*) from jsonb_object_keys(w.v)) <> 2
                    or not jobs._is_int_in(w.v -> 'starts', 1, 10000)
                    or jsonb_typeof(w.v -> 'per_seconds') <> 'number'
                    or (w.v ->> 'per_seconds')::numeric not between 0.001 and 2678400) then
      (select format('rate_limits[%s] must be {"starts": 1..10000, "per_seconds": 0.001..2678400 (31 days)}, got %s', w.i - 1, w.v)
       from jsonb_array_elements(rate_limits) with ordinality w(v, i)
       where jsonb_typeof(w.v) <> 'object' or (select count(*) from jsonb_object_keys(w.v)) <> 2
          or not jobs._is_int_in(w.v -> 'starts', 1, 10000) or jsonb_typeof(w.v -> 'per_seconds') <> 'number'
          or (w.v ->> 'per_seconds')::numeric not between 0.001 and 2678400
       order by w.i limit 1)
    when (select count(distinct (w.v ->> 'per_seconds')::numeric) from jsonb_array_elements(rate_limits) w(v))
         < jsonb_array_length(rate_limits) then
      'rate_limits names the same per_seconds twice; keep the tighter window'
    when key_concurrency is not null and key_concurrency < 1 then
      format('key_concurrency must be null (unlimited) or >= 1, got %s', key_concurrency)
    when rate_key is not null and (length(rate_key) > 200 or rate_key !~ '^[^.]+([.][^.]+)*$') then
      format('rate_key %L must be a payload field name or a dotted path (a.b), at most 200 characters', rate_key)
    when rate_key is not null and rate_limits is null and key_concurrency is null then
      'rate_key needs rate_limits or key_concurrency (a key alone limits nothing)'
  end
$$;
