-- The receipt app, part 8: search (電子帳簿保存法 可視性: by 取引年月日, 取引金額 and 取引先,
-- date and amount ranges, any keys combined). Indexed: receipts_date_idx, receipts_total_idx,
-- receipts_vendor_bigrams_idx (10_tables.sql); benchmarks/receipt_search.py shows the plans.

-- The query for the keys given, with $1..$8 as (date_from, date_to, amount_min, amount_max,
-- vendor pattern, vendor bigrams, statuses left out, max_rows). Only the conditions asked
-- for are in it, so each combination is planned for its own indexes; values are never
-- spliced in, only bound.
create function receipts._search_query(has_from boolean, has_to boolean, has_min boolean,
                                       has_max boolean, has_vendor boolean,
                                       vendor_indexed boolean)
returns text
language sql immutable set search_path = '' as $$
  select 'select * from receipts.receipts r where r.status <> all($7)'
    || case when has_from then ' and r.receipt_date >= $1' else '' end
    || case when has_to then ' and r.receipt_date <= $2' else '' end
    || case when has_min then ' and r.total >= $3' else '' end
    || case when has_max then ' and r.total <= $4' else '' end
    || case when has_vendor then ' and r.vendor_key like $5' else '' end
    || case when has_vendor and vendor_indexed then ' and r.vendor_bigrams @> $6' else '' end
    || ' order by r.receipt_date nulls last, r.received_at, r.id limit $8'
$$;

-- Dates and amounts are inclusive (--to 2026-03-31 includes that day); vendor matches
-- where the name contains it, ignoring width, case and spaces (receipts._vendor_key).
create function receipts.search_receipts(date_from date default null, date_to date default null,
    amount_min integer default null, amount_max integer default null, vendor text default null,
    include_duplicates boolean default false, include_deleted boolean default false,
    max_rows integer default 1000)
returns setof receipts.receipts
language plpgsql stable security definer set search_path = '' as $$
declare
  key text := receipts._vendor_key(vendor);
  left_out text[] := array[]::text[];
begin
  if date_from > date_to then
    perform jobs._raise('SJ105', pg_catalog.format('date_from %s is after date_to %s',
                        date_from, date_to));
  end if;
  if amount_min < 0 or amount_max < 0 then
    perform jobs._raise('SJ105', 'amounts must not be negative');
  end if;
  if amount_min > amount_max then
    perform jobs._raise('SJ105', pg_catalog.format('amount_min %s is above amount_max %s',
                        amount_min, amount_max));
  end if;
  if vendor is not null and key is null then
    perform jobs._raise('SJ105', 'vendor must contain more than spaces');
  end if;
  if max_rows is null or max_rows not between 1 and 10000 then
    perform jobs._raise('SJ105', pg_catalog.format('max_rows must be from 1 to 10000, got %s',
                        max_rows));
  end if;
  if not coalesce(include_duplicates, false) then left_out := left_out || 'duplicate'::text; end if;
  if not coalesce(include_deleted, false) then left_out := left_out || 'deleted'::text; end if;
  return query execute receipts._search_query(date_from is not null, date_to is not null,
      amount_min is not null, amount_max is not null, key is not null,
      pg_catalog.length(key) >= 2)
    using date_from, date_to, amount_min, amount_max,
          '%' || pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(key, '\', '\\'),
                                                       '%', '\%'), '_', '\_') || '%',
          receipts._bigrams(key), left_out, max_rows;
end
$$;

grant execute on function receipts.search_receipts(date, date, integer, integer, text, boolean,
                                                   boolean, integer) to service_role;
