-- The receipt app, part 5: the RPCs the pipeline's steps call (service_role only). Each step
-- records what it learned as a new version (12_evidence.sql); nothing is overwritten.

-- The one writer of versions: the receipt's current fields with `changes` applied, who and
-- why. A change that changes nothing writes nothing (a re-run of a step adds no noise).
create function receipts._write_version(receipt_id uuid, changes jsonb, changed_by text,
                                        change_reason text)
returns receipts.receipts
language plpgsql volatile security definer set search_path = '' as $$
declare
  current_row receipts.receipts;
  proposed receipts.receipt_versions;
  state text[] := array['status', 'receipt_date', 'total', 'tax', 'tax_rate', 'vendor',
    'invoice_number', 'category', 'confidence', 'needs_review', 'review_reasons',
    'read_source', 'stored_path', 'duplicate_of', 'duplicate_reason'];
begin
  select * into current_row from receipts.receipts r where r.id = receipt_id for update;
  if current_row.id is null then
    perform jobs._raise('SJ404', pg_catalog.format('receipt %s does not exist', receipt_id));
  end if;
  if coalesce(changed_by, '') !~ '\S' or coalesce(change_reason, '') !~ '\S' then
    perform jobs._raise('SJ105', 'a change needs changed_by (who) and change_reason (why)');
  end if;
  proposed := pg_catalog.jsonb_populate_record(null::receipts.receipt_versions,
                                           pg_catalog.to_jsonb(current_row) || changes);
  if current_row.version > 0 and
     (select pg_catalog.jsonb_object_agg(k, v) from pg_catalog.jsonb_each(pg_catalog.to_jsonb(proposed)) e(k, v)
      where k = any(state))
     = (select pg_catalog.jsonb_object_agg(k, v) from pg_catalog.jsonb_each(pg_catalog.to_jsonb(current_row)) e(k, v)
        where k = any(state)) then
    return current_row;
  end if;
  proposed.receipt_id := current_row.id;
  proposed.changed_by := changed_by;
  proposed.change_reason := change_reason;
  insert into receipts.receipt_versions values (proposed.*);  -- seq, hash, time: the chain trigger
  select * into current_row from receipts.receipts r where r.id = receipt_id;
  return current_row;
end
$$;

-- A file that arrived: a new receipt (version 1), or, for bytes we already have, a copy
-- recorded against the original (receipt_copies). Returns the receipt either way.
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
    perform jobs._raise('SJ105', pg_catalog.format('sha256 %L must be 64 lower-case hex digits', sha256));
  end if;
  insert into receipts.receipts as r (sha256, stored_path, original_name, content_type, source,
                                      message_id, received_at)
  values (sha256, stored_path, original_name, content_type, source, message_id,
          coalesce(received_at, pg_catalog.now()))
  on conflict on constraint receipts_sha256_key do nothing
  returning r.* into saved;
  if saved.id is not null then
    return receipts._write_version(saved.id, '{}', 'system:' || source,
                                   pg_catalog.format('arrived as %s', original_name));
  end if;
  select * into saved from receipts.receipts r where r.sha256 = save_document.sha256;
  if (saved.source, coalesce(saved.message_id, ''), saved.original_name)
     is distinct from (source, coalesce(message_id, ''), original_name) then
    insert into receipts.receipt_copies (receipt_id, source, message_id, original_name, received_at)
    values (saved.id, source, message_id, original_name, coalesce(received_at, pg_catalog.now()))
    on conflict do nothing;
  end if;
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
    perform jobs._raise('SJ404', pg_catalog.format('receipt %s does not exist', receipt_id));
  end if;
  return found;
end
$$;

-- fields: {date, total, tax, tax_rate, vendor, invoice_number, confidence, needs_review,
--          source, reasons}; an unreadable receipt passes {unreadable: "<reason>"}.
create function receipts.record_reading(receipt_id uuid, fields jsonb,
    changed_by text default 'system:receipt_process', change_reason text default null)
returns receipts.receipts
language sql volatile security definer set search_path = '' as $$
  select receipts._write_version(receipt_id, pg_catalog.jsonb_build_object(
    'status', case when fields ? 'unreadable' then 'unreadable'
                   when coalesce((fields ->> 'needs_review')::boolean, true) then 'needs_review'
                   else 'read' end,
    'receipt_date', fields -> 'date', 'total', fields -> 'total', 'tax', fields -> 'tax',
    'tax_rate', fields -> 'tax_rate', 'vendor', fields -> 'vendor',
    'invoice_number', fields -> 'invoice_number',
    'confidence', coalesce(fields -> 'confidence', '{}'),
    'needs_review', fields ? 'unreadable' or coalesce((fields ->> 'needs_review')::boolean, true),
    'review_reasons', case when fields ? 'unreadable' then pg_catalog.jsonb_build_array(fields -> 'unreadable')
                           else coalesce(fields -> 'reasons', '[]') end,
    'read_source', fields -> 'source'),
    changed_by, coalesce(change_reason, 'read from ' || coalesce(fields ->> 'source', 'the file')))
$$;

create function receipts.record_filing(receipt_id uuid, stored_path text,
    changed_by text default 'system:file_organize')
returns receipts.receipts
language plpgsql volatile security definer set search_path = '' as $$
#variable_conflict use_variable
declare
  filed_row receipts.receipts;
begin
  filed_row := receipts.get_receipt(receipt_id);
  return receipts._write_version(receipt_id, pg_catalog.jsonb_build_object(
    'stored_path', stored_path,
    'status', case when filed_row.status in ('read', 'needs_review', 'stored') and not filed_row.needs_review
                   then 'filed' else filed_row.status end),
    changed_by, pg_catalog.format('filed as %s', stored_path));
end
$$;

create function receipts.list_receipts(from_date date default null, to_date date default null,
                                       include_duplicates boolean default false,
                                       include_deleted boolean default false)
returns setof receipts.receipts
language sql stable security definer set search_path = '' as $$
  select * from receipts.receipts r
  where (from_date is null or r.receipt_date >= from_date)
    and (to_date is null or r.receipt_date < to_date)
    and (include_duplicates or r.status <> 'duplicate')
    and (include_deleted or r.status <> 'deleted')
  order by r.receipt_date nulls last, r.received_at, r.id
$$;

grant execute on function receipts.save_document(text, text, text, text, text, text, timestamptz)
  to service_role;
grant execute on function receipts.get_receipt(uuid) to service_role;
grant execute on function receipts.record_reading(uuid, jsonb, text, text) to service_role;
grant execute on function receipts.record_filing(uuid, text, text) to service_role;
grant execute on function receipts.list_receipts(date, date, boolean, boolean) to service_role;
