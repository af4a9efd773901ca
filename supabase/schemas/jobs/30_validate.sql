-- supajobs engine, part 6: validation of enqueue requests. Every problem has its own SQLSTATE
-- and a message that names the field (prefixed with jobs[i]. inside a batch), and nothing is
-- written.
--   SJ100 job_type   SJ101 payload   SJ102 max_attempts   SJ103 timeout_seconds
--   SJ104 priority   SJ105 other arguments (run_at, idempotency_key, ref, trace_context, batch)
--   SJ106 depends_on SJ404 not found SJ409 conflicting state
-- All internal: the enqueue RPCs call them.

create function jobs._is_int_in(value jsonb, low integer, high integer) returns boolean
language sql immutable parallel safe as $$
  select jsonb_typeof(value) = 'number' and value::text ~ '^-?[0-9]+$'
         and value::text::numeric between low and high
$$;

create function jobs._array_or_empty(value jsonb) returns jsonb
language sql immutable parallel safe as $$
  select case when jsonb_typeof(value) = 'array' then value else '[]'::jsonb end
$$;

create function jobs._is_timestamptz(value text) returns boolean
language plpgsql immutable parallel safe as $$
begin
  perform value::timestamptz;
  return true;
exception when others then
  return false;
end
$$;

-- A trace context as the SDK stores it: absent, null, or '<traceparent>[ <tracestate>]'.
create function jobs._is_trace_context(value jsonb) returns boolean
language sql immutable parallel safe as $$
  select coalesce(jsonb_typeof(value), 'null') = 'null'
    or (jsonb_typeof(value) = 'string' and length(value #>> '{}') <= 600
        and (value #>> '{}') ~ '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}( [ -~]+)?$')
$$;

-- The first problem of a request, as 'CODE|message', or null when it is valid.
create function jobs._item_problem(obj jsonb, label text, known_type boolean, limit_bytes integer)
returns text
language plpgsql stable parallel safe as $$
declare
  size integer;
begin
  if jsonb_typeof(obj) is distinct from 'object' then
    return format('SJ101|%s must be a JSON object describing a job', coalesce(nullif(rtrim(label, '.'), ''), 'job'));
  end if;
  if jsonb_typeof(obj -> 'job_type') is distinct from 'string' then
    return format('SJ100|%sjob_type is required (a string)', label);
  end if;
  if not known_type then
    return format('SJ100|%sjob_type %s is not a known job type (known: %s)', label, obj -> 'job_type',
      (select string_agg(t.name, ', ' order by t.name) from jobs.job_types t));
  end if;
  if obj ? 'payload' and jsonb_typeof(obj -> 'payload') is distinct from 'object' then
    return format('SJ101|%spayload must be a JSON object, got %s', label, coalesce(jsonb_typeof(obj -> 'payload'), 'null'));
  end if;
  size := octet_length((obj -> 'payload')::text);
  if size > limit_bytes then
    return format('SJ101|%spayload is %s bytes; the limit is %s bytes', label, size, limit_bytes);
  end if;
  if jsonb_typeof(obj -> 'priority') is not null and jsonb_typeof(obj -> 'priority') <> 'null'
     and coalesce(obj ->> 'priority', '') not in ('critical', 'high', 'medium', 'low') then
    return format('SJ104|%spriority %s is not one of critical, high, medium, low', label, obj -> 'priority');
  end if;
  if coalesce(jsonb_typeof(obj -> 'max_attempts'), 'null') <> 'null'
     and not jobs._is_int_in(obj -> 'max_attempts', 1, 5) then
    return format('SJ102|%smax_attempts must be an integer from 1 to 5, got %s', label, obj -> 'max_attempts');
  end if;
  if coalesce(jsonb_typeof(obj -> 'timeout_seconds'), 'null') <> 'null'
     and not jobs._is_int_in(obj -> 'timeout_seconds', 1, 1800) then
    return format('SJ103|%stimeout_seconds must be an integer from 1 to 1800 (30 minutes), got %s', label, obj -> 'timeout_seconds');
  end if;
  if coalesce(jsonb_typeof(obj -> 'run_at'), 'null') <> 'null'
     and (jsonb_typeof(obj -> 'run_at') <> 'string' or not jobs._is_timestamptz(obj ->> 'run_at')) then
    return format('SJ105|%srun_at %s is not a timestamp', label, obj -> 'run_at');
  end if;
  if coalesce(jsonb_typeof(obj -> 'idempotency_key'), 'null') <> 'null'
     and (jsonb_typeof(obj -> 'idempotency_key') <> 'string'
          or length(obj ->> 'idempotency_key') not between 1 and 200) then
    return format('SJ105|%sidempotency_key must be a string of 1 to 200 characters', label);
  end if;
  if coalesce(jsonb_typeof(obj -> 'ref'), 'null') not in ('null', 'string') then
    return format('SJ105|%sref must be a string', label);
  end if;
  if coalesce(jsonb_typeof(obj -> 'rate_key'), 'null') <> 'null'
     and (jsonb_typeof(obj -> 'rate_key') <> 'string' or length(obj ->> 'rate_key') not between 1 and 200) then
    return format('SJ105|%srate_key must be a string of 1 to 200 characters', label);
  end if;
  if not jobs._is_trace_context(obj -> 'trace_context') then
    return format('SJ105|%strace_context must be a W3C traceparent (00-<32 hex>-<16 hex>-<2 hex>), optionally followed by a space and a tracestate, at most 600 characters', label);
  end if;
  if coalesce(jsonb_typeof(obj -> 'depends_on'), 'null') not in ('null', 'array')
     or exists (select 1 from jsonb_array_elements(jobs._array_or_empty(obj -> 'depends_on')) d(v)
                where not (jsonb_typeof(d.v) = 'string' or jobs._is_int_in(d.v, 1, 2147483647)
                           or (jsonb_typeof(d.v) = 'number' and d.v::text ~ '^[0-9]+$'))) then
    return format('SJ106|%sdepends_on must be a list of job ids (or refs of jobs in the same batch)', label);
  end if;
  return null;
end
$$;

-- A cheap, set-friendly test that an item is certainly valid (the common case). Anything it
-- does not accept goes through _item_problem, which finds and words the problem.
create function jobs._item_plain(obj jsonb, known_type boolean, limit_bytes integer)
returns boolean
language sql immutable parallel safe as $$
  select jsonb_typeof(obj) = 'object' and known_type
    and coalesce(jsonb_typeof(obj -> 'payload'), 'object') = 'object'
    and octet_length(coalesce(obj -> 'payload', '{}')::text) <= limit_bytes
    and coalesce(jsonb_typeof(obj -> 'priority'), 'null') in ('null', 'string')
    and coalesce(obj ->> 'priority', 'medium') in ('critical', 'high', 'medium', 'low')
    and (coalesce(jsonb_typeof(obj -> 'max_attempts'), 'null') = 'null'
         or jobs._is_int_in(obj -> 'max_attempts', 1, 5))
    and (coalesce(jsonb_typeof(obj -> 'timeout_seconds'), 'null') = 'null'
         or jobs._is_int_in(obj -> 'timeout_seconds', 1, 1800))
    and coalesce(jsonb_typeof(obj -> 'run_at'), 'null') = 'null'
    and (coalesce(jsonb_typeof(obj -> 'idempotency_key'), 'null') = 'null'
         or (jsonb_typeof(obj -> 'idempotency_key') = 'string'
             and length(obj ->> 'idempotency_key') between 1 and 200))
    and coalesce(jsonb_typeof(obj -> 'ref'), 'null') in ('null', 'string')
    and (coalesce(jsonb_typeof(obj -> 'rate_key'), 'null') = 'null'
         or (jsonb_typeof(obj -> 'rate_key') = 'string' and length(obj ->> 'rate_key') between 1 and 200))
    and jobs._is_trace_context(obj -> 'trace_context')
    and coalesce(jsonb_typeof(obj -> 'depends_on'), 'null') in ('null', 'array')
    and jsonb_array_length(jobs._array_or_empty(obj -> 'depends_on')) = 0
$$;

-- Raise the first problem of a batch, naming the item; do nothing when all are valid.
create function jobs._check_items(items jsonb, single boolean) returns void
language plpgsql stable as $$
declare
  problem text;
  limit_bytes integer := (jobs._setting('payload_limit_bytes'))::integer;
  batch_limit integer := (jobs._setting('batch_limit'))::integer;
begin
  if items is null or jsonb_typeof(items) <> 'array' then
    perform jobs._raise('SJ105', 'jobs must be a JSON array of job objects');
  end if;
  if jsonb_array_length(items) > batch_limit then
    perform jobs._raise('SJ105', format('a batch holds at most %s jobs, got %s', batch_limit, jsonb_array_length(items)));
  end if;
  if not exists (select 1 from jsonb_array_elements(items) e(obj)
                 left join jobs.job_types t on t.name = e.obj ->> 'job_type'
                 where not coalesce(jobs._item_plain(e.obj, t.name is not null, limit_bytes), false)) then
    return;  -- the fast path: every item is plainly valid
  end if;
  select p into problem
  from (select jobs._item_problem(e.obj, case when single then '' else format('jobs[%s].', e.idx - 1) end,
                                  t.name is not null, limit_bytes) as p, e.idx
        from jsonb_array_elements(items) with ordinality e(obj, idx)
        left join jobs.job_types t on t.name = e.obj ->> 'job_type') checked
  where p is not null
  order by idx
  limit 1;
  if problem is not null then
    perform jobs._raise(split_part(problem, '|', 1), substr(problem, position('|' in problem) + 1));
  end if;
end
$$;
