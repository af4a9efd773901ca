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
