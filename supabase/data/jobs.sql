-- Data of the engine (not schema): its settings and its own job type. Idempotent: rows that
-- exist are left alone (an operator may have changed them).

insert into jobs.settings (key, value, description) values
  ('payload_limit_bytes', '262144', 'largest payload accepted by enqueue, in bytes of its JSON text (256 KiB)'),
  ('batch_limit', '10000', 'most jobs one enqueue_batch call may carry'),
  ('default_lease_seconds', '60', 'lease granted by claim and extended by heartbeat when the caller names none'),
  ('backoff_jitter', '0.5', 'fraction of each retry delay that is randomised (0 = none, 1 = full jitter)'),
  ('type_failure_threshold', '25', 'consecutive failures that pause a job type'),
  ('dead_letter_threshold', '100', 'dead letters above which all claiming stops'),
  ('failure_rate_threshold', '0.6', 'failure rate over the last hour above which all claiming stops'),
  ('failure_rate_min_samples', '20', 'finished attempts in the last hour needed before the failure rate counts'),
  ('worker_url', 'null', 'URL the wake-up webhook is POSTed to (null: no webhook, NOTIFY only); Vault secret supajobs_worker_url wins'),
  ('webhook_secret', 'null', 'HMAC-SHA256 key for webhook signatures; Vault secret supajobs_webhook_secret wins'),
  ('webhook_timeout_ms', '2000', 'timeout_milliseconds given to net.http_post'),
  ('max_postpone_seconds', '86400', 'longest postponement a throttled handler may ask for (RetryLaterError), in seconds'),
  ('max_postponements', '20', 'postponements of one job after which a throttled attempt fails like any other')
on conflict (key) do nothing;

-- Operator notifications (circuit-breaker trips), delivered as jobs so they are retried.
insert into jobs.job_types
  (name, default_priority, max_attempts, timeout_seconds, backoff_base_seconds, backoff_cap_seconds,
   bypass_breakers)
values ('alert_notify', 'critical', 5, 60, 10, 600, true)
on conflict (name) do nothing;
