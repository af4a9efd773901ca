-- Schemas: owner and privileges. PostgreSQL's own and the Supabase CLI's migration history
-- (supabase_migrations, written by `db push`, not by our SQL) are left out.
select format('schema %I', n.nspname) as object,
       jsonb_build_object(
         'owner', pg_get_userbyid(n.nspowner),
         'acl', (select array_agg(a::text order by a::text) from unnest(n.nspacl) a),
         'comment', obj_description(n.oid, 'pg_namespace')) as props
from pg_namespace n
where n.nspname !~ '^pg_' and n.nspname not in ('information_schema', 'supabase_migrations')
