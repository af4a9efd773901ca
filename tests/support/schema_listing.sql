-- One line per object of our schemas (jobs, receipts): what docs/sql-api.md lists and
-- test_schema compares. Internal functions (leading _) are left out.
select line from (
  select 1 as kind, format('type %s.%s: %s', t.typnamespace::regnamespace, t.typname,
           (select string_agg(e.enumlabel, ', ' order by e.enumsortorder) from pg_enum e where e.enumtypid = t.oid))
           as line
  from pg_type t where t.typnamespace in ('jobs'::regnamespace, 'receipts'::regnamespace) and t.typtype = 'e'
  union all
  select 2, format('%s %s(%s)', case c.relkind when 'v' then 'view' else 'table' end, c.oid::regclass,
           (select string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod), ', ' order by a.attnum)
            from pg_attribute a where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped))
  from pg_class c where c.relnamespace in ('jobs'::regnamespace, 'receipts'::regnamespace) and c.relkind in ('r', 'v')
  union all
  select 3, format('function %s.%s(%s) -> %s', p.pronamespace::regnamespace, p.proname,
           pg_get_function_identity_arguments(p.oid), pg_get_function_result(p.oid))
  from pg_proc p where p.pronamespace in ('jobs'::regnamespace, 'receipts'::regnamespace) and p.proname !~ '^_'
) listing
order by kind, line;
