-- Row level security policies on our tables.
select format('policy %I on %I.%I', p.polname, n.nspname, c.relname) as object,
       jsonb_build_object(
         'command', p.polcmd, 'permissive', p.polpermissive,
         'roles', (select array_agg(case when r = 0 then 'public' else pg_get_userbyid(r)::text end
                                    order by 1) from unnest(p.polroles) r),
         'using', pg_get_expr(p.polqual, p.polrelid),
         'with_check', pg_get_expr(p.polwithcheck, p.polrelid)) as props
from pg_policy p
join pg_class c on c.oid = p.polrelid
join pg_namespace n on n.oid = c.relnamespace
where n.nspname !~ '^pg_' and n.nspname not in ('information_schema', 'supabase_migrations')
