-- Receipts become evidence (issue 15, 電子帳簿保存法): append-only versions in one hash chain,
-- copies and duplicate suggestions instead of deletions, search by date, amount and vendor.
-- The schema files (supabase/schemas/receipts/05..27, security.sql) say the same; this makes
-- the change on a deployed database and records every existing receipt's state as its
-- version 1.

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

-- receipts.receipts: 'deleted' is a state; the latest version and the search keys.
alter table receipts.receipts drop constraint receipts_status_check;
alter table receipts.receipts add constraint receipts_status_check check
  (status in ('stored', 'read', 'needs_review', 'unreadable', 'filed', 'duplicate', 'deleted'));
alter table receipts.receipts
  add column version integer not null default 0,
  add column version_seq bigint,
  add column vendor_key text generated always as (receipts._vendor_key(vendor)) stored,
  add column vendor_bigrams text[] generated always as (receipts._bigrams(receipts._vendor_key(vendor)))
    stored;
create index receipts_total_idx on receipts.receipts (total);
create index receipts_vendor_bigrams_idx on receipts.receipts using gin (vendor_bigrams);
create index receipts_vendor_key_idx on receipts.receipts (vendor_key text_pattern_ops);

-- The receipt app, part 3: the evidence (電子帳簿保存法 真実性: a system in which every
-- correction and deletion leaves a record). Append-only tables: a trigger refuses UPDATE,
-- DELETE and TRUNCATE for every role, the owner included; rows are added only by the
-- receipts.* functions that write the history (service_role may read, not write, them).

-- Every state a receipt has been in, each a full copy of its fields with who, when and why.
-- One hash chain over all receipts (seq, prev_hash, hash, set by the trigger in
-- 15_evidence_chain.sql): editing, removing or reordering any row breaks it.
create table receipts.receipt_versions (
  seq              bigint primary key,
  receipt_id       uuid not null references receipts.receipts (id),
  version          integer not null check (version >= 1),
  status           text not null check (status in ('stored', 'read', 'needs_review',
                     'unreadable', 'filed', 'duplicate', 'deleted')),
  receipt_date     date,
  total            integer check (total >= 0),
  tax              integer check (tax >= 0),
  tax_rate         smallint check (tax_rate in (8, 10)),
  vendor           text,
  invoice_number   text check (invoice_number ~ '^T[0-9]{13}$'),
  category         text,
  confidence       jsonb not null default '{}',                 -- the reader's, not hashed
  needs_review     boolean not null default false,
  review_reasons   text[] not null default '{}',
  read_source      text,
  stored_path      text not null,
  duplicate_of     uuid references receipts.receipts (id),
  duplicate_reason text,
  changed_by       text not null check (changed_by ~ '\S'),
  changed_at       timestamptz not null,
  change_reason    text not null check (change_reason ~ '\S'),
  prev_hash        text not null check (prev_hash ~ '^[0-9a-f]{64}$'),
  hash             text not null unique check (hash ~ '^[0-9a-f]{64}$'),
  unique (receipt_id, version)
);
alter table receipts.receipt_versions enable row level security;

-- A byte-identical file that arrived again (another mail, a re-send): one receipt, one
-- stored file, and here the copy's own source, time and name, so nothing about it is lost.
create table receipts.receipt_copies (
  id            bigint generated always as identity primary key,
  receipt_id    uuid not null references receipts.receipts (id),
  source        text not null,
  message_id    text,
  original_name text not null,
  received_at   timestamptz not null,
  recorded_at   timestamptz not null default now(),
  reason        text not null default 'byte-identical to the original'
);
alter table receipts.receipt_copies enable row level security;
-- Scanning the same mail again records nothing new.
create unique index receipt_copies_arrival_key on receipts.receipt_copies
  (receipt_id, source, coalesce(message_id, ''), original_name);

-- "Likely" duplicates (same date + total + vendor; look-alike images) are only suggested:
-- two coffees on one day are two receipts until a person says otherwise.
create table receipts.duplicate_suggestions (
  id           bigint generated always as identity primary key,
  receipt_id   uuid not null references receipts.receipts (id),      -- the suspected copy
  duplicate_of uuid not null references receipts.receipts (id),      -- the one to keep
  reason       text not null check (reason in ('exact', 'likely', 'perceptual')),
  suggested_by text not null,
  suggested_at timestamptz not null default now(),
  check (receipt_id <> duplicate_of)
);
alter table receipts.duplicate_suggestions enable row level security;
create unique index duplicate_suggestions_pair_key on receipts.duplicate_suggestions
  (least(receipt_id, duplicate_of), greatest(receipt_id, duplicate_of));

-- A person's answer to a suggestion; one per suggestion. Confirming also writes a
-- 'duplicate' version of the receipt (its file stays).
create table receipts.duplicate_decisions (
  suggestion_id bigint primary key references receipts.duplicate_suggestions (id),
  decision      text not null check (decision in ('confirmed', 'rejected')),
  decided_by    text not null check (decided_by ~ '\S'),
  decided_at    timestamptz not null default now(),
  note          text
);
alter table receipts.duplicate_decisions enable row level security;

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

-- The old RPCs whose arguments changed, and mark_duplicate (duplicates are now suggested
-- and decided: 25_duplicates.sql).
drop function receipts.mark_duplicate(uuid, uuid, text, boolean);
drop function receipts.record_reading(uuid, jsonb);
drop function receipts.record_filing(uuid, text);
drop function receipts.list_receipts(date, date, boolean);

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
create or replace function receipts.save_document(sha256 text, stored_path text, original_name text,
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

create or replace function receipts.get_receipt(receipt_id uuid) returns receipts.receipts
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

-- The receipt app, part 7: duplicates are suggested by duplicate_cleanup and decided by a
-- person (dashboard or `supajobs receipts duplicates`). Nothing is removed: a confirmed
-- duplicate is a 'duplicate' version pointing at the receipt kept; its file stays.

-- True when the pair is new; a pair suggested before (and perhaps rejected) is not again.
create function receipts.suggest_duplicate(receipt_id uuid, duplicate_of uuid, reason text,
    suggested_by text default 'system:duplicate_cleanup')
returns boolean
language plpgsql volatile security definer set search_path = '' as $$
#variable_conflict use_variable
declare
  added bigint;
begin
  perform receipts.get_receipt(receipt_id);
  perform receipts.get_receipt(duplicate_of);
  if receipt_id = duplicate_of then
    perform jobs._raise('SJ105', 'a receipt cannot be a duplicate of itself');
  end if;
  insert into receipts.duplicate_suggestions (receipt_id, duplicate_of, reason, suggested_by)
  values (receipt_id, duplicate_of, reason, suggested_by)
  on conflict do nothing returning id into added;
  return added is not null;
end
$$;

-- Suggestions nobody has decided yet, with what a person needs to decide.
create function receipts.pending_duplicates()
returns table (suggestion_id bigint, reason text, suggested_at timestamptz, receipt_id uuid,
               duplicate_of uuid, receipt_date date, total integer, vendor text,
               original_name text, stored_path text, kept_original_name text,
               kept_stored_path text, kept_received_at timestamptz, received_at timestamptz)
language sql stable security definer set search_path = '' as $$
  select s.id, s.reason, s.suggested_at, s.receipt_id, s.duplicate_of, r.receipt_date, r.total,
         r.vendor, r.original_name, r.stored_path, k.original_name, k.stored_path, k.received_at,
         r.received_at
  from receipts.duplicate_suggestions s
  join receipts.receipts r on r.id = s.receipt_id
  join receipts.receipts k on k.id = s.duplicate_of
  where not exists (select from receipts.duplicate_decisions d where d.suggestion_id = s.id)
    and r.status not in ('duplicate', 'deleted') and k.status <> 'deleted'
  order by s.id
$$;

create function receipts.decide_duplicate(suggestion_id bigint, decision text, decided_by text,
                                          note text default null)
returns receipts.duplicate_decisions
language plpgsql volatile security definer set search_path = '' as $$
#variable_conflict use_variable
declare
  suggestion receipts.duplicate_suggestions;
  made receipts.duplicate_decisions;
begin
  if decision is null or decision not in ('confirmed', 'rejected') then
    perform jobs._raise('SJ105', pg_catalog.format(
      'decision must be confirmed or rejected, got %L', decision));
  end if;
  if coalesce(decided_by, '') !~ '\S' then
    perform jobs._raise('SJ105', 'decided_by (who decides) is required');
  end if;
  select * into suggestion from receipts.duplicate_suggestions s where s.id = suggestion_id
    for update;
  if suggestion.id is null then
    perform jobs._raise('SJ404', pg_catalog.format('duplicate suggestion %s does not exist',
                        suggestion_id));
  end if;
  insert into receipts.duplicate_decisions (suggestion_id, decision, decided_by, note)
  values (suggestion_id, decision, decided_by, note)
  on conflict do nothing returning * into made;
  if made.suggestion_id is null then
    perform jobs._raise('SJ409', pg_catalog.format('duplicate suggestion %s is already decided',
                        suggestion_id));
  end if;
  if decision = 'confirmed' then
    perform receipts._write_version(suggestion.receipt_id, pg_catalog.jsonb_build_object(
      'status', 'duplicate', 'duplicate_of', suggestion.duplicate_of,
      'duplicate_reason', suggestion.reason), decided_by,
      pg_catalog.format('confirmed as a duplicate of %s%s', suggestion.duplicate_of,
                        coalesce(': ' || note, '')));
  end if;
  return made;
end
$$;

grant execute on function receipts.suggest_duplicate(uuid, uuid, text, text) to service_role;
grant execute on function receipts.pending_duplicates() to service_role;
grant execute on function receipts.decide_duplicate(bigint, text, text, text) to service_role;

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

-- Every existing receipt's state, as its version 1 (what changed before was not recorded).
insert into receipts.receipt_versions
  (receipt_id, status, receipt_date, total, tax, tax_rate, vendor, invoice_number, category,
   confidence, needs_review, review_reasons, read_source, stored_path, duplicate_of,
   duplicate_reason, changed_by, change_reason)
select r.id, r.status, r.receipt_date, r.total, r.tax, r.tax_rate, r.vendor, r.invoice_number,
       r.category, r.confidence, r.needs_review, r.review_reasons, r.read_source, r.stored_path,
       r.duplicate_of, r.duplicate_reason, 'system:upgrade',
       'the state at the upgrade to versioned receipts; earlier changes were not recorded'
from receipts.receipts r order by r.created_at, r.id;

-- Privileges (security.sql does not run again): new functions for nobody but their grants,
-- the new tables readable by service_role, the evidence written only through functions.
create or replace function jobs._secure_schema(target text default 'jobs') returns void
language plpgsql volatile set search_path = '' as $$
declare
  item record;
begin
  execute format('revoke all on schema %I from public, anon, authenticated', target);
  execute format('grant usage on schema %I to service_role', target);
  for item in select c.oid::regclass as rel from pg_catalog.pg_class c
              where c.relnamespace = target::regnamespace and c.relkind in ('r', 'p') loop
    execute format('alter table %s enable row level security', item.rel);
  end loop;
  execute format('revoke all on all tables in schema %I from public, anon, authenticated', target);
  execute format('revoke all on all sequences in schema %I from public, anon, authenticated', target);
  execute format('grant select, insert, update, delete on all tables in schema %I to service_role', target);
  execute format('grant usage, select on all sequences in schema %I to service_role', target);
  execute format('revoke all on all functions in schema %I from public, anon, authenticated, service_role', target);
  for item in select p.oid::regprocedure as fn from pg_catalog.pg_proc p
              where p.pronamespace = target::regnamespace and p.proname !~ '^_' loop
    execute format('grant execute on function %s to service_role', item.fn);
  end loop;
  -- Append-only tables (a refuse_changes trigger): read, never written, by service_role.
  for item in select distinct t.tgrelid::regclass as rel from pg_catalog.pg_trigger t
              join pg_catalog.pg_class c on c.oid = t.tgrelid
              where c.relnamespace = target::regnamespace and t.tgname = 'refuse_changes' loop
    execute format('revoke insert, update, delete, truncate on %s from service_role', item.rel);
  end loop;
end
$$;

revoke all on all functions in schema receipts from public, anon, authenticated;
revoke all on all tables in schema receipts from public, anon, authenticated;
revoke all on all sequences in schema receipts from public, anon, authenticated;
grant select, insert, update, delete on all tables in schema receipts to service_role;
grant usage, select on all sequences in schema receipts to service_role;
revoke insert, update, delete, truncate on receipts.receipts, receipts.receipt_versions,
  receipts.receipt_copies, receipts.duplicate_suggestions, receipts.duplicate_decisions
  from service_role;
