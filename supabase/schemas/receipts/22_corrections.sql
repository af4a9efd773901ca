-- The receipt app, part 6: corrections and deletions by a person, and the history itself.
-- Both keep every earlier version (電子帳簿保存法: corrections and deletions leave a record).

-- fields: any of date, total, tax, tax_rate, vendor, invoice_number, category. A corrected
-- receipt is settled: it no longer needs review.
create function receipts.correct_receipt(receipt_id uuid, fields jsonb, changed_by text,
                                         reason text)
returns receipts.receipts
language plpgsql volatile security definer set search_path = '' as $$
declare
  before_row receipts.receipts;
  after_row receipts.receipts;
  allowed text[] := array['date', 'total', 'tax', 'tax_rate', 'vendor', 'invoice_number',
                          'category'];
  unknown text;
begin
  if fields is null or pg_catalog.jsonb_typeof(fields) <> 'object' or fields = '{}' then
    perform jobs._raise('SJ105', 'fields must be a JSON object with at least one of '
                        || pg_catalog.array_to_string(allowed, ', '));
  end if;
  select pg_catalog.string_agg(k, ', ' order by k) into unknown
  from pg_catalog.jsonb_object_keys(fields) k where k <> all(allowed);
  if unknown is not null then
    perform jobs._raise('SJ105', pg_catalog.format('fields: %s cannot be corrected (allowed: %s)',
                        unknown, pg_catalog.array_to_string(allowed, ', ')));
  end if;
  before_row := receipts.get_receipt(receipt_id);
  if before_row.status = 'deleted' then
    perform jobs._raise('SJ409', pg_catalog.format('receipt %s is deleted', receipt_id));
  end if;
  after_row := receipts._write_version(receipt_id,
    (fields - 'date')
    || case when fields ? 'date' then pg_catalog.jsonb_build_object('receipt_date', fields -> 'date')
            else '{}' end
    || pg_catalog.jsonb_build_object('needs_review', false, 'review_reasons', '[]'::jsonb,
         'status', case when before_row.status in ('stored', 'needs_review', 'unreadable')
                        then 'read' else before_row.status end),
    changed_by, reason);
  if after_row.version = before_row.version then
    perform jobs._raise('SJ105', pg_catalog.format('the correction changes nothing on receipt %s',
                        receipt_id));
  end if;
  return after_row;
end
$$;

-- A deletion is a recorded state: the file and every version stay.
create function receipts.delete_receipt(receipt_id uuid, changed_by text, reason text)
returns receipts.receipts
language plpgsql volatile security definer set search_path = '' as $$
begin
  if (receipts.get_receipt(receipt_id)).status = 'deleted' then
    perform jobs._raise('SJ409', pg_catalog.format('receipt %s is already deleted', receipt_id));
  end if;
  return receipts._write_version(receipt_id, '{"status": "deleted"}', changed_by, reason);
end
$$;

-- The chain in order (for `receipts verify`, backups and exports), a page at a time; with
-- receipt_id, that receipt's versions only. Each row has what its hash covers.
create function receipts.receipt_history(after_seq bigint default 0, max_rows integer default 1000,
                                         receipt_id uuid default null)
returns table (seq bigint, receipt_id uuid, version integer, sha256 text, original_name text,
               content_type text, source text, message_id text, received_at timestamptz,
               status text, receipt_date date, total integer, tax integer, tax_rate smallint,
               vendor text, invoice_number text, category text, needs_review boolean,
               review_reasons text[], read_source text, stored_path text, duplicate_of uuid,
               duplicate_reason text, changed_by text, changed_at timestamptz,
               change_reason text, prev_hash text, hash text)
language sql stable security definer set search_path = '' as $$
  select v.seq, v.receipt_id, v.version, r.sha256, r.original_name, r.content_type, r.source,
         r.message_id, r.received_at, v.status, v.receipt_date, v.total, v.tax, v.tax_rate,
         v.vendor, v.invoice_number, v.category, v.needs_review, v.review_reasons,
         v.read_source, v.stored_path, v.duplicate_of, v.duplicate_reason, v.changed_by,
         v.changed_at, v.change_reason, v.prev_hash, v.hash
  from receipts.receipt_versions v join receipts.receipts r on r.id = v.receipt_id
  where v.seq > coalesce(after_seq, 0)
    and (receipt_history.receipt_id is null or v.receipt_id = receipt_history.receipt_id)
  order by v.seq
  limit least(greatest(coalesce(max_rows, 1000), 1), 10000)
$$;

-- The byte-identical copies recorded against a receipt (or all, oldest first).
create function receipts.list_copies(receipt_id uuid default null)
returns setof receipts.receipt_copies
language sql stable security definer set search_path = '' as $$
  select * from receipts.receipt_copies c
  where list_copies.receipt_id is null or c.receipt_id = list_copies.receipt_id
  order by c.id
$$;

grant execute on function receipts.correct_receipt(uuid, jsonb, text, text) to service_role;
grant execute on function receipts.delete_receipt(uuid, text, text) to service_role;
grant execute on function receipts.receipt_history(bigint, integer, uuid) to service_role;
grant execute on function receipts.list_copies(uuid) to service_role;
