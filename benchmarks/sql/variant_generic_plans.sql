-- Experiment only, never a migration: plan the statements inside claim/complete once per
-- session instead of on every call (custom plans are re-planned each time).
alter function jobs.claim(text, text[], integer, integer) set plan_cache_mode = force_generic_plan;
alter function jobs.complete_jobs(text, jsonb) set plan_cache_mode = force_generic_plan;
alter function jobs._reap_expired(integer) set plan_cache_mode = force_generic_plan;
