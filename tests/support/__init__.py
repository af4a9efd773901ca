"""Test support: a throwaway PostgreSQL cluster with pg_cron, migrated by the Supabase CLI."""
