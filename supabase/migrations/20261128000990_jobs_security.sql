-- Supabase's security model: RLS on every table (no policies), nothing for anon and
-- authenticated, the RPC functions (names without a leading _) for service_role only.
-- Later migrations that add tables or functions end with `select jobs._secure_schema();`.

create function jobs._secure_schema() returns void
language plpgsql volatile set search_path = '' as $$
declare
  item record;
begin
  revoke all on schema jobs from public, anon, authenticated;
  grant usage on schema jobs to service_role;
  for item in select c.oid::regclass as rel from pg_catalog.pg_class c
              where c.relnamespace = 'jobs'::regnamespace and c.relkind in ('r', 'p') loop
    execute format('alter table %s enable row level security', item.rel);
  end loop;
  revoke all on all tables in schema jobs from public, anon, authenticated;
  revoke all on all sequences in schema jobs from public, anon, authenticated;
  grant select, insert, update, delete on all tables in schema jobs to service_role;
  grant usage, select on all sequences in schema jobs to service_role;
  revoke all on all functions in schema jobs from public, anon, authenticated, service_role;
  for item in select p.oid::regprocedure as fn from pg_catalog.pg_proc p
              where p.pronamespace = 'jobs'::regnamespace and p.proname !~ '^_' loop
    execute format('grant execute on function %s to service_role', item.fn);
  end loop;
end
$$;

alter default privileges in schema jobs revoke execute on functions from public;
select jobs._secure_schema();
