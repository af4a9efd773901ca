-- _work_due() without a webhook to send: a deployment whose workers LISTEN (no worker_url,
-- no Vault) paid two nested function calls per enqueue (_send_wake -> _config_secret) only to
-- learn that. One plain query now decides whether _send_wake is worth calling; its own
-- checks (pg_net present, secret set) and the signed request are unchanged.

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
