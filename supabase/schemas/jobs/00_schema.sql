-- supajobs engine, part 1: schema `jobs`, the extensions it uses and its enum types.
-- Everything lives in schema `jobs`; RLS is on for every table and no policy exists,
-- so only roles that bypass RLS (service_role, the function owner) ever see a row.
-- Supabase's security model: nothing for anon and authenticated, the RPC functions (names
-- without a leading _) for service_role only. Each file grants its RPCs at its end;
-- supabase/schemas/security.sql, applied last, takes back what PostgreSQL gives PUBLIC.

create schema if not exists jobs;
revoke all on schema jobs from public, anon, authenticated;
grant usage on schema jobs to service_role;

-- Supabase keeps extensions in schema `extensions` (it exists there already).
create schema if not exists extensions;
create extension if not exists pgcrypto with schema extensions;

create type jobs.job_priority as enum ('critical', 'high', 'medium', 'low');
create type jobs.job_status as enum ('waiting', 'queued', 'running', 'succeeded', 'dead', 'cancelled');
