-- Autovacuum workers busy right now (a timed phase waits until there are none).
select count(*) from pg_stat_activity where backend_type = 'autovacuum worker';
