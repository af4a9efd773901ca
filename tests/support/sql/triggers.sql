-- Triggers on our tables (not the internal ones behind foreign keys), by full definition.
select format('trigger %I on %I.%I', t.tgname, n.nspname, c.relname) as object,
       jsonb_build_object('definition', pg_get_triggerdef(t.oid), 'enabled', t.tgenabled,
                          'comment', obj_description(t.oid, 'pg_trigger')) as props
from pg_trigger t
join pg_class c on c.oid = t.tgrelid
join pg_namespace n on n.oid = c.relnamespace
where not t.tgisinternal
  and n.nspname !~ '^pg_' and n.nspname not in ('information_schema', 'supabase_migrations')
  and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass
                  and d.objid = c.oid and d.deptype = 'e')
