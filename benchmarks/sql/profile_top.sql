-- The statements (top level and inside the plpgsql functions) that cost the most time,
-- executing and planning (plpgsql replans statements that get custom plans on every call).
select calls, round(total_exec_time::numeric, 1) as total_ms,
       round(total_plan_time::numeric, 1) as plan_ms,
       round((total_exec_time / greatest(calls, 1))::numeric, 3) as mean_ms, rows,
       shared_blks_hit + shared_blks_read as blocks, wal_records, wal_bytes,
       left(regexp_replace(query, '\s+', ' ', 'g'), 160) as query
from public.pg_stat_statements
where dbid = (select oid from pg_database where datname = current_database())
order by total_exec_time + total_plan_time desc
limit %(top)s;
