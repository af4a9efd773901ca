-- Default privileges (ALTER DEFAULT PRIVILEGES): what objects created later will grant.
select format('default privileges of %s in %s on %s', pg_get_userbyid(d.defaclrole),
              coalesce('schema ' || d.defaclnamespace::regnamespace::text, 'all schemas'),
              case d.defaclobjtype when 'r' then 'tables' when 'S' then 'sequences'
                                   when 'f' then 'functions' when 'T' then 'types'
                                   when 'n' then 'schemas' end) as object,
       jsonb_build_object('acl', (select array_agg(a::text order by a::text)
                                  from unnest(d.defaclacl) a)) as props
from pg_default_acl d
where d.defaclnamespace = 0
   or d.defaclnamespace::regnamespace::text not in ('supabase_migrations')
