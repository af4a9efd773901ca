-- Applied last: the privileges every object of ours gets, whatever file declared it.
-- Supabase's security model: RLS on every table (no policies: each table's file enables it),
-- nothing for anon and authenticated, the RPC functions (names without a leading _) for
-- service_role only (each file grants its RPCs). PostgreSQL lets PUBLIC execute every new
-- function (and `alter default privileges in schema ...` cannot take that back: per-schema
-- defaults only add to the global ones), so that is revoked here, after the last function.

-- The same rules as a function, for a hot fix applied by hand (`select jobs._secure_schema();`
-- or `select jobs._secure_schema('receipts');`). Migrations state their grants the way these
-- files do; the tests check that this function changes nothing on a fresh install.
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
  -- Append-only tables (a refuse_changes trigger): read, never written, by service_role.
  for item in select distinct t.tgrelid::regclass as rel from pg_catalog.pg_trigger t
              join pg_catalog.pg_class c on c.oid = t.tgrelid
              where c.relnamespace = target::regnamespace and t.tgname = 'refuse_changes' loop
    execute format('revoke insert, update, delete, truncate on %s from service_role', item.rel);
  end loop;
end
$$;

revoke all on all functions in schema jobs, receipts from public, anon, authenticated;
revoke all on all tables in schema jobs, receipts from public, anon, authenticated;
revoke all on all sequences in schema jobs, receipts from public, anon, authenticated;
grant select, insert, update, delete on all tables in schema jobs, receipts to service_role;
grant usage, select on all sequences in schema jobs, receipts to service_role;
-- Evidence (receipts/12_evidence.sql): service_role reads it and writes it only through the
-- receipts.* functions that keep the history; the triggers refuse the rest to everyone.
revoke insert, update, delete, truncate on receipts.receipts, receipts.receipt_versions,
  receipts.receipt_copies, receipts.duplicate_suggestions, receipts.duplicate_decisions
  from service_role;
