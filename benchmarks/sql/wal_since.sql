-- WAL bytes written since the given position (the whole cluster: the run is alone).
select pg_wal_lsn_diff(pg_current_wal_insert_lsn(), %(lsn)s::pg_lsn)::bigint;
