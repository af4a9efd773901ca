-- supajobs engine, part 21: dispatch. When work becomes due, wake the workers: NOTIFY for
-- listen-mode workers, and a signed webhook through pg_net (or its local stand-in) for the
-- stateless webhook workers. pg_net queues the request and sends it only after the
-- transaction commits, so a worker never looks for work that is not visible yet. One
-- webhook per transaction at most: a batch of 10,000 jobs is one wake-up. A lost wake-up
-- costs latency, never a job: the sweeper re-sends while anything is due.
-- Where wake-ups go: settings worker_url, webhook_secret, webhook_timeout_ms
-- (supabase/data/jobs.sql), or Vault secrets.

do $$
begin
  if exists (select 1 from pg_catalog.pg_available_extensions where name = 'pg_net') then
    create extension if not exists pg_net;
  end if;
end
$$;

-- A secret from Supabase Vault when it exists, else from jobs.settings (service_role only).
-- Static SQL (planned once per session) instead of EXECUTE; plpgsql resolves the Vault view
-- only when the branch runs, so databases without Vault are fine.
create or replace function jobs._config_secret(vault_name text, setting_key text) returns text
language plpgsql stable as $$
declare
  found text;
begin
  if to_regclass('vault.decrypted_secrets') is not null then
    select v.decrypted_secret into found from vault.decrypted_secrets v
    where v.name = vault_name limit 1;
  end if;
  return coalesce(found, jobs._setting(setting_key) #>> '{}');
end
$$;

create function jobs._send_wake(due integer) returns bigint
language plpgsql volatile as $$
declare
  url text := jobs._config_secret('supajobs_worker_url', 'worker_url');
  secret text;
  body jsonb;
  ts bigint := floor(extract(epoch from clock_timestamp()));
begin
  if url is null or to_regprocedure('net.http_post(text,jsonb,jsonb,jsonb,integer)') is null then
    return null;
  end if;
  secret := jobs._config_secret('supajobs_webhook_secret', 'webhook_secret');
  if secret is null then
    raise warning 'supajobs: worker_url is set but webhook_secret is not; webhook not sent';
    return null;
  end if;
  -- The nonce makes every wake-up unique, so a worker's replay guard never drops a real one.
  body := jsonb_build_object('event', 'work_due', 'due', due, 'database', current_database(),
                             'sent_at', ts, 'nonce', gen_random_uuid());
  return net.http_post(
    url => url, body => body,
    headers => jsonb_build_object('Content-Type', 'application/json',
      'X-Supajobs-Timestamp', ts::text,
      'X-Supajobs-Signature', jobs._sign_webhook(secret, ts, body::text)),
    timeout_milliseconds => (jobs._setting('webhook_timeout_ms'))::integer);
end
$$;

-- Work became due. One NOTIFY per transaction (and PostgreSQL folds identical notifications
-- within a transaction anyway), so a batch of 10,000 jobs wakes listeners once. A deployment
-- whose workers LISTEN (no worker_url, no Vault) pays one plain query to learn that there is
-- no webhook to send; _send_wake makes its own checks (pg_net present, secret set).
create or replace function jobs._work_due(due integer) returns void
language plpgsql volatile as $$
begin
  if due > 0 and current_setting('supajobs.woken', true) is distinct from 'yes' then
    perform set_config('supajobs.woken', 'yes', true);  -- until the end of this transaction
    perform pg_notify('supajobs_jobs', 'due');
    if to_regclass('vault.decrypted_secrets') is not null
       or exists (select 1 from jobs.settings s
                  where s.key = 'worker_url' and s.value <> 'null'::jsonb) then
      perform jobs._send_wake(due);
    end if;
  end if;
end
$$;

-- Set where wake-ups go (stored in jobs.settings; prefer Vault on Supabase, see docs).
create function jobs.configure_dispatch(worker_url text, webhook_secret text,
                                        webhook_timeout_ms integer default 2000)
returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
begin
  if worker_url is not null and worker_url !~ '^https?://[^\s]+$' then
    perform jobs._raise('SJ105', format('worker_url %L must be an http(s) URL', worker_url));
  end if;
  if worker_url is not null and coalesce(length(webhook_secret), 0) < 16 then
    perform jobs._raise('SJ105', 'webhook_secret must have at least 16 characters');
  end if;
  if webhook_timeout_ms is null or webhook_timeout_ms not between 100 and 60000 then
    perform jobs._raise('SJ105', 'webhook_timeout_ms must be from 100 to 60000');
  end if;
  update jobs.settings s set value = coalesce(to_jsonb(configure_dispatch.worker_url), 'null') where s.key = 'worker_url';
  update jobs.settings s set value = coalesce(to_jsonb(configure_dispatch.webhook_secret), 'null') where s.key = 'webhook_secret';
  update jobs.settings s set value = coalesce(to_jsonb(configure_dispatch.webhook_timeout_ms), 'null') where s.key = 'webhook_timeout_ms';
  return jobs.dispatch_status();
end
$$;

-- What dispatch will do, without revealing the secret.
create function jobs.dispatch_status() returns jsonb
language sql stable security definer set search_path = '' as $$
  select jsonb_build_object(
    'worker_url', jobs._config_secret('supajobs_worker_url', 'worker_url'),
    'secret_configured', jobs._config_secret('supajobs_webhook_secret', 'webhook_secret') is not null,
    'webhook_timeout_ms', (jobs._setting('webhook_timeout_ms'))::integer,
    'pg_net', case when to_regprocedure('net.http_post(text,jsonb,jsonb,jsonb,integer)') is null then 'absent'
                   when exists (select 1 from pg_catalog.pg_extension where extname = 'pg_net') then 'extension'
                   else 'stand-in' end)
$$;

grant execute on function jobs.configure_dispatch(text, text, integer) to service_role;
grant execute on function jobs.dispatch_status() to service_role;
