-- The receipt app, part 3: the receipt RPCs (service_role only). Each step of the pipeline
-- records what it learned.

create function receipts.save_document(sha256 text, stored_path text, original_name text,
    content_type text, source text default 'mail', message_id text default null,
    received_at timestamptz default now())
returns receipts.receipts
language plpgsql volatile security definer set search_path = '' as $$
#variable_conflict use_variable
declare
  saved receipts.receipts;
begin
  if sha256 is null or sha256 !~ '^[0-9a-f]{64}$' then
    perform jobs._raise('SJ105', format('sha256 %L must be 64 lower-case hex digits', sha256));
  end if;
  -- The same bytes are one receipt, however often they arrive.
  insert into receipts.receipts as r (sha256, stored_path, original_name, content_type, source,
                                      message_id, received_at)
  values (sha256, stored_path, original_name, content_type, source, message_id,
          coalesce(received_at, now()))
  on conflict on constraint receipts_sha256_key do update set updated_at = r.updated_at
  returning r.* into saved;
  return saved;
end
$$;

create function receipts.get_receipt(receipt_id uuid) returns receipts.receipts
language plpgsql stable security definer set search_path = '' as $$
declare
  found receipts.receipts;
begin
  select * into found from receipts.receipts r where r.id = receipt_id;
  if found.id is null then
    perform jobs._raise('SJ404', format('receipt %s does not exist', receipt_id));
  end if;
  return found;
end
$$;

-- fields: {date, total, tax, tax_rate, vendor, invoice_number, confidence, needs_review,
--          source, reasons}; an unreadable receipt passes {unreadable: "<reason>"}.
create function receipts.record_reading(receipt_id uuid, fields jsonb) returns receipts.receipts
language plpgsql volatile security definer set search_path = '' as $$
declare
  saved receipts.receipts;
begin
  perform receipts.get_receipt(receipt_id);
  update receipts.receipts r set
    status = case when fields ? 'unreadable' then 'unreadable'
                  when coalesce((fields ->> 'needs_review')::boolean, true) then 'needs_review'
                  else 'read' end,
    receipt_date = (fields ->> 'date')::date, total = (fields ->> 'total')::integer,
    tax = (fields ->> 'tax')::integer, tax_rate = (fields ->> 'tax_rate')::smallint,
    vendor = fields ->> 'vendor', invoice_number = fields ->> 'invoice_number',
    confidence = coalesce(fields -> 'confidence', '{}'),
    needs_review = fields ? 'unreadable' or coalesce((fields ->> 'needs_review')::boolean, true),
    review_reasons = case when fields ? 'unreadable' then array[fields ->> 'unreadable']
                          else array(select jsonb_array_elements_text(coalesce(fields -> 'reasons', '[]'))) end,
    read_source = fields ->> 'source', updated_at = now()
  where r.id = receipt_id
  returning r.* into saved;
  return saved;
end
$$;

create function receipts.record_filing(receipt_id uuid, stored_path text) returns receipts.receipts
language plpgsql volatile security definer set search_path = '' as $$
#variable_conflict use_variable
declare
  saved receipts.receipts;
begin
  perform receipts.get_receipt(receipt_id);
  update receipts.receipts r
  set stored_path = record_filing.stored_path,
      status = case when r.status in ('read', 'needs_review', 'stored') and not r.needs_review then 'filed'
                    else r.status end,
      updated_at = now()
  where r.id = receipt_id returning r.* into saved;
  return saved;
end
$$;

create function receipts.mark_duplicate(receipt_id uuid, duplicate_of uuid, reason text,
                                        file_deleted boolean default false)
returns receipts.receipts
language plpgsql volatile security definer set search_path = '' as $$
#variable_conflict use_variable
declare
  saved receipts.receipts;
begin
  if receipt_id = duplicate_of then
    perform jobs._raise('SJ105', 'a receipt cannot be a duplicate of itself');
  end if;
  perform receipts.get_receipt(duplicate_of);
  update receipts.receipts r
  set status = 'duplicate', duplicate_of = mark_duplicate.duplicate_of, duplicate_reason = reason,
      file_deleted = r.file_deleted or mark_duplicate.file_deleted, updated_at = now()
  where r.id = receipt_id returning r.* into saved;
  if saved.id is null then
    perform jobs._raise('SJ404', format('receipt %s does not exist', receipt_id));
  end if;
  return saved;
end
$$;

create function receipts.list_receipts(from_date date default null, to_date date default null,
                                       include_duplicates boolean default false)
returns setof receipts.receipts
language sql stable security definer set search_path = '' as $$
  select * from receipts.receipts r
  where (from_date is null or r.receipt_date >= from_date)
    and (to_date is null or r.receipt_date < to_date)
    and (include_duplicates or r.status <> 'duplicate')
  order by r.receipt_date nulls last, r.received_at, r.id
$$;

grant execute on function receipts.save_document(text, text, text, text, text, text, timestamptz)
  to service_role;
grant execute on function receipts.get_receipt(uuid) to service_role;
grant execute on function receipts.record_reading(uuid, jsonb) to service_role;
grant execute on function receipts.record_filing(uuid, text) to service_role;
grant execute on function receipts.mark_duplicate(uuid, uuid, text, boolean) to service_role;
grant execute on function receipts.list_receipts(date, date, boolean) to service_role;
