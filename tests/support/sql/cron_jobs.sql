-- pg_cron jobs (only where pg_cron is installed). Ids and the node (host, port) differ from
-- one cluster to the next, so they are left out.
select format('cron.job %s', coalesce(j.jobname, j.command)) as object,
       jsonb_build_object('schedule', j.schedule, 'command', j.command,
                          'database', j.database, 'username', j.username,
                          'active', j.active) as props
from cron.job j
