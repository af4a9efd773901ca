-- freee_sync spends freee's daily call budget through the queue's rate limits (issue 20's flow
-- control): at most one sync every 30 s and 40 a day, each bounded to 2 + 3 x 20 calls, so a
-- company stays under the 3,000 calls a day of freee's smaller plans. Also in
-- supabase/data/receipts.sql (a fresh database) and pipeline/register.py (what workers declare).
update jobs.job_types
set rate_limits = '[{"starts": 1, "per_seconds": 30}, {"starts": 40, "per_seconds": 86400}]'
where name = 'freee_sync' and rate_limits is null;
