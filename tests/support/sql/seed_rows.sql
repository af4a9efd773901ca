-- The seed rows: settings, and job types without their timestamps.
select format('row jobs.settings %s', s.key) as object,
       jsonb_build_object('value', s.value, 'description', s.description) as props
from jobs.settings s
union all
select format('row jobs.job_types %s', t.name),
       to_jsonb(t) - 'name' - 'created_at' - 'updated_at'
from jobs.job_types t
