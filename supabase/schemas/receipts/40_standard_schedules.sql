-- The receipt app, part 5: the five standard schedules of the receipt pipeline, in
-- Asia/Tokyo, declared through the engine's upsert_schedule (validated, compiled, synced to
-- pg_cron). Idempotent: re-running resets them to these definitions (payload, overlap,
-- enabled too). Their job types are seeded by supabase/data/receipts.sql. With with_freee,
-- also the nightly freee sync (21:00, after the day's card and bank feed has reached freee):
-- opt-in, because an installation without a freee grant has nothing to sync.
create function receipts.install_standard_schedules(with_freee boolean default false)
returns setof jobs.job_schedules
language plpgsql volatile security definer set search_path = '' as $$
declare
  std record;
begin
  for std in
    select * from (values
      (1, 'mail-monitoring', '0 8 * * 1-5', 'email_scan'),
      (2, 'daily-cleanup',   '0 23 * * *',  'file_organize'),
      (3, 'weekly-dedup',    '0 2 * * 0',   'duplicate_cleanup'),
      (4, 'monthly-report',  '0 1 L * *',   'report_generate'),
      (5, 'weekly-backup',   '0 3 * * 1',   'backup_create'),
      (6, 'freee-sync',      '0 21 * * *',  'freee_sync')) v(ord, name, expr, job_type)
    where v.ord < 6 or coalesce(with_freee, false)
    order by ord
  loop
    return next jobs.upsert_schedule(std.name, std.expr, std.job_type, '{}'::jsonb, null,
                                     'Asia/Tokyo', 'skip', true);
  end loop;
end
$$;

grant execute on function receipts.install_standard_schedules(boolean) to service_role;
