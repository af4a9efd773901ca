-- Constraints of our tables (primary keys, unique, checks, foreign keys, exclusions) and of
-- our domains, by name and definition.
select format('constraint %I on %s', co.conname,
              coalesce(format('%I.%I', n.nspname, c.relname), 'domain ' || co.contypid::regtype::text))
         as object,
       jsonb_build_object('type', co.contype, 'definition', pg_get_constraintdef(co.oid),
                          'comment', obj_description(co.oid, 'pg_constraint')) as props
from pg_constraint co
left join pg_class c on c.oid = co.conrelid
left join pg_namespace n on n.oid = c.relnamespace
join pg_namespace cn on cn.oid = co.connamespace
where cn.nspname !~ '^pg_' and cn.nspname not in ('information_schema', 'supabase_migrations')
  and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass
                  and d.objid = co.conrelid and d.deptype = 'e')
  and not exists (select 1 from pg_depend d where d.classid = 'pg_type'::regclass
                  and d.objid = co.contypid and d.deptype = 'e')
