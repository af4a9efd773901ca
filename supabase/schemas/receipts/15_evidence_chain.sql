-- The receipt app, part 4: the hash chain over receipt_versions, the current view it keeps
-- in receipts.receipts, and the triggers that make the evidence append-only.

-- The text each version's hash covers: the receipt's identity and the version's fields in
-- a fixed order, as a JSON array (jsonb's text form, which Python's json.dumps with
-- ensure_ascii=False reproduces: worker/supajobs_receipts/evidence/chain.py).
create function receipts._version_content(v receipts.receipt_versions) returns text
language sql stable set search_path = '' as $$
  select pg_catalog.jsonb_build_array(
    v.seq, v.receipt_id::text, v.version, r.sha256, r.original_name, r.content_type, r.source,
    r.message_id, receipts._utc(r.received_at), v.status,
    pg_catalog.to_char(v.receipt_date, 'YYYY-MM-DD'), v.total, v.tax, v.tax_rate, v.vendor,
    v.invoice_number, v.category, v.needs_review, pg_catalog.to_jsonb(v.review_reasons),
    v.read_source, v.stored_path, v.duplicate_of::text, v.duplicate_reason, v.changed_by,
    receipts._utc(v.changed_at), v.change_reason)::text
  from receipts.receipts r where r.id = v.receipt_id
$$;

create function receipts._version_hash(prev_hash text, content text) returns text
language sql immutable parallel safe set search_path = '' as $$
  select pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(prev_hash || content, 'UTF8')),
                           'hex')
$$;

-- Before each new version: its place in the chain. The lock makes writers take turns until
-- they commit, so each one links to the row committed before it (a sequence would hand out
-- numbers in one order and commit them in another).
create function receipts._chain_version() returns trigger
language plpgsql set search_path = '' as $$
declare
  last_link record;
begin
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('receipts.receipt_versions'));
  select v.seq, v.hash into last_link from receipts.receipt_versions v order by v.seq desc limit 1;
  new.seq := coalesce(last_link.seq, 0) + 1;
  new.prev_hash := coalesce(last_link.hash, pg_catalog.repeat('0', 64));
  new.version := coalesce((select max(v.version) from receipts.receipt_versions v
                           where v.receipt_id = new.receipt_id), 0) + 1;
  new.changed_at := pg_catalog.clock_timestamp();  -- when it was recorded; never back-dated
  new.hash := receipts._version_hash(new.prev_hash, receipts._version_content(new));
  return new;
end
$$;

-- After it: receipts.receipts shows the latest version.
create function receipts._show_version() returns trigger
language plpgsql set search_path = '' as $$
begin
  update receipts.receipts r set
    status = new.status, receipt_date = new.receipt_date, total = new.total, tax = new.tax,
    tax_rate = new.tax_rate, vendor = new.vendor, invoice_number = new.invoice_number,
    category = new.category, confidence = new.confidence, needs_review = new.needs_review,
    review_reasons = new.review_reasons, read_source = new.read_source,
    stored_path = new.stored_path, duplicate_of = new.duplicate_of,
    duplicate_reason = new.duplicate_reason, version = new.version, version_seq = new.seq,
    updated_at = new.changed_at
  where r.id = new.receipt_id;
  return null;
end
$$;

create function receipts._refuse(operation text, table_name text) returns void
language plpgsql immutable set search_path = '' as $$
begin
  raise exception using errcode = '42501',
    message = pg_catalog.format('%s on receipts.%s is refused: receipts are evidence, kept '
                                'append-only', operation, table_name),
    hint = 'correct with receipts.correct_receipt(), delete with receipts.delete_receipt(): '
           'both keep the earlier version';
end
$$;

create function receipts._refuse_change() returns trigger
language plpgsql set search_path = '' as $$
begin
  perform receipts._refuse(tg_op, tg_table_name);
  return null;
end
$$;

-- receipts.receipts changes only from _show_version (a trigger, hence depth 2), and never
-- in its identity columns.
create function receipts._guard_current() returns trigger
language plpgsql set search_path = '' as $$
begin
  if tg_op = 'UPDATE' and pg_catalog.pg_trigger_depth() > 1
     and (new.id, new.sha256, new.original_name, new.content_type, new.source, new.message_id,
          new.received_at, new.created_at, new.file_deleted)
         is not distinct from (old.id, old.sha256, old.original_name, old.content_type,
          old.source, old.message_id, old.received_at, old.created_at, old.file_deleted) then
    return new;
  end if;
  perform receipts._refuse(tg_op, tg_table_name);
  return null;
end
$$;

create trigger chain_version before insert on receipts.receipt_versions
  for each row execute function receipts._chain_version();
create trigger show_version after insert on receipts.receipt_versions
  for each row execute function receipts._show_version();
create trigger refuse_changes before update or delete on receipts.receipts
  for each row execute function receipts._guard_current();
create trigger refuse_changes before update or delete on receipts.receipt_versions
  for each row execute function receipts._refuse_change();
create trigger refuse_changes before update or delete on receipts.receipt_copies
  for each row execute function receipts._refuse_change();
create trigger refuse_changes before update or delete on receipts.duplicate_suggestions
  for each row execute function receipts._refuse_change();
create trigger refuse_changes before update or delete on receipts.duplicate_decisions
  for each row execute function receipts._refuse_change();
create trigger refuse_truncate before truncate on receipts.receipts
  for each statement execute function receipts._refuse_change();
create trigger refuse_truncate before truncate on receipts.receipt_versions
  for each statement execute function receipts._refuse_change();
create trigger refuse_truncate before truncate on receipts.receipt_copies
  for each statement execute function receipts._refuse_change();
create trigger refuse_truncate before truncate on receipts.duplicate_suggestions
  for each statement execute function receipts._refuse_change();
create trigger refuse_truncate before truncate on receipts.duplicate_decisions
  for each statement execute function receipts._refuse_change();
