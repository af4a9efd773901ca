-- The pipeline's receipt RPCs (service_role only). Each step records what it learned.

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

create function receipts.get_checkpoint(mailbox text) returns jsonb
language sql stable security definer set search_path = '' as $$
  select c.checkpoint from receipts.mail_checkpoints c where c.mailbox = get_checkpoint.mailbox
$$;

create function receipts.save_checkpoint(mailbox text, checkpoint jsonb) returns void
language sql volatile security definer set search_path = '' as $$
  insert into receipts.mail_checkpoints as c (mailbox, checkpoint) values (mailbox, checkpoint)
  on conflict on constraint mail_checkpoints_pkey do update
    set checkpoint = excluded.checkpoint, updated_at = now()
$$;

create function receipts.record_backup(path text, sha256 text, members integer, bytes bigint,
                                       file_hashes text[])
returns receipts.backups
language sql volatile security definer set search_path = '' as $$
  insert into receipts.backups (path, sha256, members, bytes, file_hashes)
  values (path, sha256, members, bytes, coalesce(file_hashes, '{}')) returning *
$$;

create function receipts.backed_up_hashes() returns setof text
language sql stable security definer set search_path = '' as $$
  select distinct h from receipts.backups b, unnest(b.file_hashes) h
$$;

select jobs._secure_schema('receipts');
