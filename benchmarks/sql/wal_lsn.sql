-- WAL position now (before a run), to measure how much WAL the run writes.
select pg_current_wal_insert_lsn()::text;
