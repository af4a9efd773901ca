-- supajobs engine, part 20: webhook signing. The database signs every wake-up it sends; the
-- worker verifies it (sdk/supajobs/signing.py computes the very same value and is tested
-- against this function).
-- Signature = HMAC-SHA256(secret, '<unix seconds>.<body>'), hex, sent as
--   X-Supajobs-Timestamp: <unix seconds>
--   X-Supajobs-Signature: v1=<hex>
-- `body` must be the exact text sent: for net.http_post that is `body::text` of the jsonb.
-- Internal (leading _): only the dispatch functions, owned by the same role, call it.

create or replace function jobs._sign_webhook(secret text, ts bigint, body text)
returns text
language plpgsql
immutable
security definer
set search_path = ''
as $$
begin
  if secret is null or secret = '' then
    raise exception 'webhook signing secret is empty' using errcode = '22023';
  end if;
  if ts is null or body is null then
    raise exception 'webhook timestamp and body are required' using errcode = '22004';
  end if;
  return 'v1=' || encode(extensions.hmac(ts::text || '.' || body, secret, 'sha256'), 'hex');
end
$$;
