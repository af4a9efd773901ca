-- 1 or 0, as for every system (see cmp_pending_supajobs.sql).
select count(*) from (select 1 from procrastinate_jobs where status in ('todo', 'doing') limit 1) s;
