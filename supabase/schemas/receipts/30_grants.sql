-- The receipt app, part 5: OAuth 2.0 grants for Google (Gmail, Drive) and freee, one per
-- provider. The refresh token lives only here: RLS on, no policies, nothing for anon and
-- authenticated (security.sql), so only service_role (the worker, the CLI) can read it. Plain
-- columns, not Supabase Vault: docs/decisions.md says why and how to move.
--
-- Rotation protocol (freee issues a new refresh token on every use and invalidates the old
-- one, so two workers must never send the same one): begin_refresh hands one holder a short
-- lease, serialised by an advisory lock per provider; finish_refresh stores the new tokens
-- and bumps `generation` in one statement, refusing when the generation moved or the lease
-- is no longer the caller's; fail_refresh marks the grant revoked and raises an alert.

create table receipts.oauth_grants (
  provider       text primary key check (provider in ('google', 'freee')),
  account        text not null check (pg_catalog.length(account) between 1 and 200),
  refresh_token  text not null check (refresh_token <> ''),
  access_token   text,
  expires_at     timestamptz,
  scopes         text[] not null default '{}',
  extra          jsonb not null default '{}' check (pg_catalog.jsonb_typeof(extra) = 'object'),
  generation     bigint not null default 1,        -- +1 on every consent and refresh
  status         text not null default 'active' check (status in ('active', 'revoked')),
  last_error     text,                             -- never a token: the provider's error code
  lease_holder   text,
  lease_until    timestamptz,
  connected_at   timestamptz not null default now(),
  refreshed_at   timestamptz
);
alter table receipts.oauth_grants enable row level security;

-- What `supajobs auth status` and the dashboard may show: everything but the tokens.
create function receipts.grant_status()
returns table (provider text, account text, status text, scopes text[], extra jsonb,
               expires_at timestamptz, connected_at timestamptz, refreshed_at timestamptz,
               last_error text, generation bigint, lease_until timestamptz)
language sql stable security definer set search_path = '' as $$
  select g.provider, g.account, g.status, g.scopes, g.extra, g.expires_at, g.connected_at,
         g.refreshed_at, g.last_error, g.generation, g.lease_until
  from receipts.oauth_grants g order by g.provider
$$;

-- The grant with its tokens (service_role only), or no row.
create function receipts.get_grant(provider text) returns setof receipts.oauth_grants
language sql stable security definer set search_path = '' as $$
  select * from receipts.oauth_grants g where g.provider = get_grant.provider
$$;

-- Serialises everything that changes one provider's grant, across workers and the CLI.
create function receipts._lock_grant(provider text) returns void
language sql volatile set search_path = '' as $$
  select pg_catalog.pg_advisory_xact_lock(
    pg_catalog.hashtextextended('supajobs:oauth_grant:' || provider, 0))
$$;

-- The first consent (or a new one): replaces the grant, so a refresh begun before it is
-- refused at finish_refresh (the generation moved).
create function receipts.store_grant(provider text, account text, refresh_token text,
                                     access_token text, expires_at timestamptz,
                                     scopes text[] default '{}', extra jsonb default '{}')
returns setof receipts.oauth_grants
language plpgsql volatile security definer set search_path = '' as $$
begin
  if provider is null or provider not in ('google', 'freee') then
    perform jobs._raise('SJ105', pg_catalog.format('provider must be google or freee, got %L',
                        provider));
  end if;
  if coalesce(refresh_token, '') = '' then
    perform jobs._raise('SJ105', 'refresh_token is empty: the provider granted no offline access');
  end if;
  perform receipts._lock_grant(provider);
  return query
  insert into receipts.oauth_grants as g (provider, account, refresh_token, access_token,
                                          expires_at, scopes, extra)
  values (provider, account, refresh_token, access_token, expires_at,
          coalesce(scopes, '{}'), coalesce(extra, '{}'))
  on conflict on constraint oauth_grants_pkey do update
    set account = excluded.account, refresh_token = excluded.refresh_token,
        access_token = excluded.access_token, expires_at = excluded.expires_at,
        scopes = excluded.scopes, extra = excluded.extra, generation = g.generation + 1,
        status = 'active', last_error = null, lease_holder = null, lease_until = null,
        connected_at = now(), refreshed_at = null
  returning *;
end
$$;

grant execute on function receipts.grant_status() to service_role;
grant execute on function receipts.get_grant(text) to service_role;
grant execute on function receipts.store_grant(text, text, text, text, timestamptz, text[], jsonb)
  to service_role;
