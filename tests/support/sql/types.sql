-- Types that are ours: enums (labels in order), composites (their attributes are in
-- columns.sql), domains (base type, nullability, default; checks are in constraints.sql),
-- ranges. Array types and the row types of tables and views are implied, so left out.
select format('type %I.%I', n.nspname, t.typname) as object,
       jsonb_strip_nulls(jsonb_build_object(
         'kind', t.typtype,
         'labels', case when t.typtype = 'e' then
                     (select array_agg(e.enumlabel order by e.enumsortorder)
                      from pg_enum e where e.enumtypid = t.oid) end,
         'base', case when t.typtype = 'd' then format_type(t.typbasetype, t.typtypmod) end,
         'not_null', case when t.typtype = 'd' then t.typnotnull end,
         'default', t.typdefault,
         'owner', pg_get_userbyid(t.typowner),
         'acl', (select array_agg(a::text order by a::text) from unnest(t.typacl) a),
         'comment', obj_description(t.oid, 'pg_type'))) as props
from pg_type t
join pg_namespace n on n.oid = t.typnamespace
where n.nspname !~ '^pg_' and n.nspname not in ('information_schema', 'supabase_migrations')
  and not exists (select 1 from pg_type e where e.typarray = t.oid)
  and (t.typrelid = 0 or (select c.relkind from pg_class c where c.oid = t.typrelid) = 'c')
  and not exists (select 1 from pg_depend d where d.classid = 'pg_type'::regclass
                  and d.objid = t.oid and d.deptype = 'e')
  and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass
                  and d.objid = t.typrelid and d.deptype = 'e')
