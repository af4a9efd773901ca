-- The receipt app (the pipeline built on supajobs), part 1: its own schema, secured like
-- `jobs` (RLS on, service_role only). Its job types are data: supabase/data/receipts.sql.

create schema if not exists receipts;
revoke all on schema receipts from public, anon, authenticated;
grant usage on schema receipts to service_role;
