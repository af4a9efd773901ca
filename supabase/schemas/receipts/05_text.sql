-- The receipt app, part 1b: text helpers the tables' generated columns and the hash chain
-- use. Immutable, so they can define generated columns; no locale involved, so the same
-- text gives the same key on every server.

-- How a vendor is searched: NFKC (full-width ＡＢＣ and half-width ｶﾅ fold to one form),
-- lower case, no white space ("株式会社 技術書房" and "株式会社技術書房" are one vendor).
create function receipts._vendor_key(vendor text) returns text
language sql immutable parallel safe set search_path = '' as $$
  select nullif(pg_catalog.regexp_replace(pg_catalog.lower(pg_catalog.normalize(vendor, 'NFKC')),
                                          '[[:space:]　]+', '', 'g'), '')
$$;

-- Every two-character piece of a key: a GIN index on these finds "contains" matches in any
-- script (pg_trgm ignores Japanese under the C locale Supabase databases use).
create function receipts._bigrams(key text) returns text[]
language sql immutable parallel safe set search_path = '' as $$
  select coalesce(array(select distinct pg_catalog.substr(key, i, 2)
                        from pg_catalog.generate_series(1, pg_catalog.length(key) - 1) i
                        order by 1), '{}')
$$;

-- Timestamps in the hash chain: one fixed text form, whatever the session's TimeZone.
create function receipts._utc(at timestamptz) returns text
language sql immutable parallel safe set search_path = '' as $$
  select pg_catalog.to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
$$;
