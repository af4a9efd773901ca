-- Extensions: where they live and which version.
select format('extension %I', e.extname) as object,
       jsonb_build_object('schema', e.extnamespace::regnamespace::text,
                          'version', e.extversion) as props
from pg_extension e
