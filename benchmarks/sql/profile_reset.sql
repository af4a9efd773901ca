select public.pg_stat_statements_reset();
