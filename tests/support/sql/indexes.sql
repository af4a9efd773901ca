-- Indexes of our tables, by their full definition (columns, uniqueness, predicate).
select format('index %I.%I', n.nspname, ic.relname) as object,
       jsonb_strip_nulls(jsonb_build_object(
         'definition', pg_get_indexdef(i.indexrelid),
         'options', (select array_agg(o order by o) from unnest(ic.reloptions) o),
         'comment', obj_description(ic.oid, 'pg_class'))) as props
from pg_index i
join pg_class ic on ic.oid = i.indexrelid
join pg_namespace n on n.oid = ic.relnamespace
where n.nspname !~ '^pg_' and n.nspname not in ('information_schema', 'supabase_migrations')
  and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass
                  and d.objid = i.indrelid and d.deptype = 'e')
