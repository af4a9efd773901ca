-- The receipt app, part 5b: refreshing a grant without ever sending a refresh token twice
-- (the protocol is described in 30_grants.sql; the Python side is
-- worker/supajobs_receipts/pipeline/grant_tokens.py).

-- outcome: 'acquired' (the caller holds the lease and must call finish_refresh,
-- release_refresh or fail_refresh), 'rotated' (someone refreshed since the caller read
-- generation seen_generation: use the tokens returned), 'busy' (another holder's lease runs
-- until lease_until: wait and read again), 'revoked', 'missing'. An expired lease (its holder
-- died or hung) is taken over.
create function receipts.begin_refresh(provider text, holder text, lease_seconds integer,
                                       seen_generation bigint)
returns table (outcome text, generation bigint, refresh_token text, access_token text,
               expires_at timestamptz, lease_until timestamptz)
language plpgsql volatile security definer set search_path = '' as $$
#variable_conflict use_variable
declare
  g receipts.oauth_grants;
begin
  if coalesce(holder, '') = '' then
    perform jobs._raise('SJ105', 'holder must name the refresher (worker id)');
  end if;
  if lease_seconds is null or lease_seconds not between 5 and 600 then
    perform jobs._raise('SJ105', pg_catalog.format('lease_seconds must be 5..600, got %s',
                        coalesce(lease_seconds::text, 'null')));
  end if;
  perform receipts._lock_grant(provider);
  select * into g from receipts.oauth_grants o where o.provider = provider for update;
  if not found then
    return query select 'missing'::text, null::bigint, null::text, null::text,
                        null::timestamptz, null::timestamptz;
    return;
  end if;
  if g.status = 'revoked' then
    outcome := 'revoked';
  elsif g.generation is distinct from seen_generation then
    outcome := 'rotated';
  elsif g.lease_holder is not null and g.lease_holder <> holder and g.lease_until > now() then
    outcome := 'busy';
  else
    update receipts.oauth_grants o
      set lease_holder = holder, lease_until = now() + lease_seconds * interval '1 second'
      where o.provider = provider returning * into g;
    outcome := 'acquired';
  end if;
  return query select outcome, g.generation, g.refresh_token, g.access_token, g.expires_at,
                      g.lease_until;
end
$$;

-- The new tokens, stored with the generation bump in one statement (the old refresh token is
-- gone the moment the new one is kept). Google keeps its refresh token (new_refresh_token
-- null); freee sends a new one every time. False, and nothing stored, when the caller no
-- longer holds the lease for that generation.
create function receipts.finish_refresh(provider text, holder text, generation bigint,
                                        access_token text, expires_at timestamptz,
                                        new_refresh_token text default null,
                                        scopes text[] default null)
returns boolean
language plpgsql volatile security definer set search_path = '' as $$
#variable_conflict use_variable
begin
  perform receipts._lock_grant(provider);
  update receipts.oauth_grants o
    set access_token = access_token, expires_at = expires_at,
        refresh_token = coalesce(nullif(new_refresh_token, ''), o.refresh_token),
        scopes = coalesce(scopes, o.scopes), generation = o.generation + 1,
        refreshed_at = now(), last_error = null, lease_holder = null, lease_until = null
    where o.provider = provider and o.generation = generation and o.lease_holder = holder
      and o.status = 'active';
  return found;
end
$$;

-- A transient failure (network, 5xx): the lease is given back, the grant stays active.
create function receipts.release_refresh(provider text, holder text, reason text)
returns boolean
language plpgsql volatile security definer set search_path = '' as $$
#variable_conflict use_variable
begin
  perform receipts._lock_grant(provider);
  update receipts.oauth_grants o
    set lease_holder = null, lease_until = null, last_error = pg_catalog.left(reason, 500)
    where o.provider = provider and o.lease_holder = holder;
  return found;
end
$$;

-- The provider refused the refresh token (invalid_grant): the grant is revoked until a person
-- runs `supajobs auth PROVIDER`, and one alert per revocation says so. reason is the
-- provider's error code and description, never a token.
create function receipts.fail_refresh(provider text, holder text, generation bigint,
                                      reason text)
returns boolean
language plpgsql volatile security definer set search_path = '' as $$
#variable_conflict use_variable
declare
  message text := pg_catalog.format('the %s grant is no longer valid (%s): run `supajobs auth %s` '
                                    'again to re-authorise', provider,
                                    pg_catalog.left(coalesce(reason, 'refused'), 300), provider);
begin
  perform receipts._lock_grant(provider);
  update receipts.oauth_grants o
    set status = 'revoked', last_error = pg_catalog.left(coalesce(reason, 'refused'), 500),
        lease_holder = null, lease_until = null
    where o.provider = provider and o.generation = generation and o.lease_holder = holder
      and o.status = 'active';
  if not found then
    return false;
  end if;
  perform jobs._enqueue_items(pg_catalog.jsonb_build_array(pg_catalog.jsonb_build_object(
    'job_type', 'alert_notify',
    'idempotency_key', pg_catalog.format('alert:grant_revoked:%s:%s', provider, generation),
    'payload', pg_catalog.jsonb_build_object('kind', 'action_needed',
                                             'scope', 'grant:' || provider, 'reason', message,
                                             'details', pg_catalog.jsonb_build_object(
                                               'provider', provider, 'generation', generation),
                                             'opened_at', now()))));
  return true;
end
$$;

grant execute on function receipts.begin_refresh(text, text, integer, bigint) to service_role;
grant execute on function receipts.finish_refresh(text, text, bigint, text, timestamptz, text,
                                                  text[]) to service_role;
grant execute on function receipts.release_refresh(text, text, text) to service_role;
grant execute on function receipts.fail_refresh(text, text, bigint, text) to service_role;
