-- Data of the receipt app (not schema): the seven job types of the receipt pipeline.
-- Idempotent: types that exist are left alone (an operator may have tuned them).

insert into jobs.job_types
  (name, default_priority, max_attempts, timeout_seconds, backoff_base_seconds, backoff_cap_seconds,
   concurrency_limit, heavy) values
  ('email_scan',        'high',   5,  300, 30,  1800, 1,    false),
  ('receipt_process',   'medium', 5,  600, 20,  1800, null, true),
  ('file_organize',     'medium', 5,  300, 10,   900, null, false),
  ('duplicate_cleanup', 'low',    3,  900, 60,  3600, 1,    true),
  ('report_generate',   'high',   5, 1200, 120, 3600, 1,    true),
  ('backup_create',     'critical', 5, 1800, 300, 3600, 1,  true),
  ('freee_sync',        'medium', 5,  900, 60,  3600, 1,    false)
on conflict (name) do nothing;

-- freee's daily call budget, spent through the queue (pipeline/register.py says why these).
update jobs.job_types
set rate_limits = '[{"starts": 1, "per_seconds": 30}, {"starts": 40, "per_seconds": 86400}]'
where name = 'freee_sync' and rate_limits is null;
