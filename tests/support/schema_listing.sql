-- One line per object of schema jobs: what docs/sql-api.md lists and test_schema compares.
select line from (
  select 1 as kind, format('type %s: %s', t.typname,
           (select string_agg(e.enumlabel, ', ' order by e.enumsortorder) from pg_enum e where e.enumtypid = t.oid))
           as line
  from pg_type t where t.typnamespace = 'jobs'::regnamespace and t.typtype = 'e'
  union all
  select 2, format('%s %s(%s)', case c.relkind when 'v' then 'view' else 'table' end, c.relname,
           (select string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod), ', ' order by a.attnum)
            from pg_attribute a where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped))
  from pg_class c where c.relnamespace = 'jobs'::regnamespace and c.relkind in ('r', 'v')
  union all
  select 3, format('function %s(%s) -> %s', p.proname, pg_get_function_identity_arguments(p.oid),
           pg_get_function_result(p.oid))
  from pg_proc p where p.pronamespace = 'jobs'::regnamespace and p.proname !~ '^_'
) listing
order by kind, line;
