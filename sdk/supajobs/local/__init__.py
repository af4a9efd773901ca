"""Local PostgreSQL with pg_cron for demos and tests, and migrations via the Supabase CLI."""
