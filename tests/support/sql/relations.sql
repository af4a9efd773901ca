-- Tables, views and sequences that are ours (not PostgreSQL's, not an extension's, not the
-- CLI's migration history): owner, options, row level security, privileges; a view's
-- definition; a sequence's parameters and the column it belongs to.
select format('%s %I.%I',
              case c.relkind when 'r' then 'table' when 'p' then 'table' when 'v' then 'view'
                             when 'm' then 'materialized view' when 'S' then 'sequence'
                             when 'f' then 'foreign table' end,
              n.nspname, c.relname) as object,
       jsonb_strip_nulls(jsonb_build_object(
         'owner', pg_get_userbyid(c.relowner),
         'persistence', c.relpersistence,
         'options', (select array_agg(o order by o) from unnest(c.reloptions) o),
         'row_level_security', c.relrowsecurity,
         'force_row_level_security', c.relforcerowsecurity,
         'acl', (select array_agg(a::text order by a::text) from unnest(c.relacl) a),
         'comment', obj_description(c.oid, 'pg_class'),
         'definition', case when c.relkind in ('v', 'm') then pg_get_viewdef(c.oid, true) end,
         'sequence', (select jsonb_build_object(
                        'type', format_type(s.seqtypid, null), 'start', s.seqstart,
                        'increment', s.seqincrement, 'min', s.seqmin, 'max', s.seqmax,
                        'cache', s.seqcache, 'cycle', s.seqcycle)
                      from pg_sequence s where s.seqrelid = c.oid),
         'owned_by', (select format('%s.%I (%s)', d.refobjid::regclass, a.attname, d.deptype)
                      from pg_depend d
                      join pg_attribute a on a.attrelid = d.refobjid and a.attnum = d.refobjsubid
                      where c.relkind = 'S' and d.classid = 'pg_class'::regclass
                        and d.objid = c.oid and d.refclassid = 'pg_class'::regclass
                        and d.deptype in ('a', 'i')))) as props
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
where c.relkind in ('r', 'p', 'v', 'm', 'S', 'f')
  and n.nspname !~ '^pg_' and n.nspname not in ('information_schema', 'supabase_migrations')
  and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass
                  and d.objid = c.oid and d.deptype = 'e')
