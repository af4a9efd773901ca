-- Settings and secrets are read on every enqueue and claim. A `language sql` function that is
-- not inlined is planned again on every call (~15 µs each, measured with pg_stat_statements);
-- plpgsql keeps its plans for the session. The lookups themselves are unchanged.

create or replace function jobs._setting(key text) returns jsonb
language plpgsql stable parallel safe as $$
begin
  return (select s.value from jobs.settings s where s.key = _setting.key);
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
