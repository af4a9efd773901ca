-- Supabase's security model: RLS on every table (no policies), nothing for anon and
-- authenticated, the RPC functions (names without a leading _) for service_role only.
-- Later migrations that add tables or functions end with `select jobs._secure_schema();`
-- (or `select jobs._secure_schema('receipts');` for another schema of ours).

create function jobs._secure_schema(target text default 'jobs') returns void
language plpgsql volatile set search_path = '' as $$
declare
  item record;
begin
  execute format('revoke all on schema %I from public, anon, authenticated', target);
  execute format('grant usage on schema %I to service_role', target);
  for item in select c.oid::regclass as rel from pg_catalog.pg_class c
              where c.relnamespace = target::regnamespace and c.relkind in ('r', 'p') loop
    execute format('alter table %s enable row level security', item.rel);
  end loop;
  execute format('revoke all on all tables in schema %I from public, anon, authenticated', target);
  execute format('revoke all on all sequences in schema %I from public, anon, authenticated', target);
  execute format('grant select, insert, update, delete on all tables in schema %I to service_role', target);
  execute format('grant usage, select on all sequences in schema %I to service_role', target);
  execute format('revoke all on all functions in schema %I from public, anon, authenticated, service_role', target);
  for item in select p.oid::regprocedure as fn from pg_catalog.pg_proc p
              where p.pronamespace = target::regnamespace and p.proname !~ '^_' loop
    execute format('grant execute on function %s to service_role', item.fn);
  end loop;
end
$$;

alter default privileges in schema jobs revoke execute on functions from public;
select jobs._secure_schema();
