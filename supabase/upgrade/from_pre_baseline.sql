-- Upgrade a database that applied the 43 pre-baseline migrations (20261128000000 ...
-- 20261129001000, main up to 51f338c) to what the baseline migrations create. Run it once,
-- after `supabase migration repair` has recorded the baseline as applied (docs/sql-changes.md):
--   psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -f supabase/upgrade/from_pre_baseline.sql
-- Idempotent: on a database already at the baseline it changes nothing. Everything else the
-- old chain created is identical to the baseline (tests/integration/test_sql_upgrade.py).

begin;

-- The receipt app's standard schedules left the engine schema: jobs.install_standard_schedules()
-- is receipts.install_standard_schedules() (supabase/schemas/receipts/40_standard_schedules.sql),
-- same body, service_role only. The schedules it installed are rows of jobs.job_schedules and
-- stay as they are.
-- Only where the old function still exists: on a database past the baseline the function has
-- moved on (20261208000200 gave it `with_freee`), and this script must change nothing there.
do $upgrade$
begin
  if to_regprocedure('jobs.install_standard_schedules()') is null then
    return;
  end if;
  execute $create$
create or replace function receipts.install_standard_schedules() returns setof jobs.job_schedules
language plpgsql volatile security definer set search_path = '' as $fn$
declare
  std record;
begin
  for std in
    select * from (values
      (1, 'mail-monitoring', '0 8 * * 1-5', 'email_scan'),
      (2, 'daily-cleanup',   '0 23 * * *',  'file_organize'),
      (3, 'weekly-dedup',    '0 2 * * 0',   'duplicate_cleanup'),
      (4, 'monthly-report',  '0 1 L * *',   'report_generate'),
      (5, 'weekly-backup',   '0 3 * * 1',   'backup_create')) v(ord, name, expr, job_type)
    order by ord
  loop
    return next jobs.upsert_schedule(std.name, std.expr, std.job_type, '{}'::jsonb, null,
                                     'Asia/Tokyo', 'skip', true);
  end loop;
end
$fn$
  $create$;
  revoke all on function receipts.install_standard_schedules() from public, anon, authenticated;
  grant execute on function receipts.install_standard_schedules() to service_role;
  drop function jobs.install_standard_schedules();
end
$upgrade$;

commit;
