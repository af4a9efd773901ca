-- The settings in effect and where each one came from (command line beats ALTER SYSTEM).
select name, setting, source
from pg_settings
where name in ('fsync', 'synchronous_commit', 'full_page_writes', 'wal_sync_method',
               'shared_buffers', 'wal_level', 'max_wal_size', 'server_version')
order by name;
