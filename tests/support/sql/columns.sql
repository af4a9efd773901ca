-- Columns of our tables and views, and attributes of our composite types: position (among
-- the live columns), type, nullability, default, identity, generated expression, collation.
select format('column %I.%I.%I', n.nspname, c.relname, a.attname) as object,
       jsonb_strip_nulls(jsonb_build_object(
         'position', row_number() over (partition by c.oid order by a.attnum),
         'type', format_type(a.atttypid, a.atttypmod),
         'not_null', a.attnotnull,
         'default', case when a.attgenerated = '' then pg_get_expr(ad.adbin, ad.adrelid) end,
         'generated', case when a.attgenerated <> '' then pg_get_expr(ad.adbin, ad.adrelid) end,
         'identity', nullif(a.attidentity, ''),
         'collation', case when a.attcollation <> 0 and a.attcollation <> t.typcollation
                           then a.attcollation::regcollation::text end,
         'comment', col_description(c.oid, a.attnum))) as props
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
join pg_type t on t.oid = a.atttypid
left join pg_attrdef ad on ad.adrelid = c.oid and ad.adnum = a.attnum
where c.relkind in ('r', 'p', 'v', 'm', 'c', 'f')
  and n.nspname !~ '^pg_' and n.nspname not in ('information_schema', 'supabase_migrations')
  and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass
                  and d.objid = c.oid and d.deptype = 'e')
  and not exists (select 1 from pg_depend d where d.classid = 'pg_type'::regclass
                  and d.objid = c.reltype and d.deptype = 'e')
