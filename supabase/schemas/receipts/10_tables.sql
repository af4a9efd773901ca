-- The receipt app, part 2: the pipeline's data.

-- The current state of each receipt: the identity (sha256, name, source, arrival) plus the
-- fields of its latest version in receipts.receipt_versions, copied there by the chain's
-- trigger. Nothing else may change it (12_evidence.sql): it is a fast index of the history,
-- which is the evidence, and `supajobs receipts verify` checks that the two agree.

create table receipts.receipts (
  id                uuid primary key default gen_random_uuid(),
  sha256            text not null unique check (sha256 ~ '^[0-9a-f]{64}$'),
  stored_path       text not null,
  original_name     text not null,
  content_type      text not null,
  source            text not null default 'mail',           -- mail, maildir, upload
  message_id        text,
  received_at       timestamptz not null default now(),
  status            text not null default 'stored' constraint receipts_status_check check
                      (status in ('stored', 'read', 'needs_review', 'unreadable', 'filed',
                                  'duplicate', 'deleted')),
  receipt_date      date,
  total             integer check (total >= 0),                -- yen, tax included
  tax               integer check (tax >= 0),
  tax_rate          smallint check (tax_rate in (8, 10)),
  vendor            text,
  invoice_number    text check (invoice_number ~ '^T[0-9]{13}$'),
  category          text,
  confidence        jsonb not null default '{}',
  needs_review      boolean not null default false,
  review_reasons    text[] not null default '{}',
  read_source       text,                                    -- pdf_text, ocr, html_text
  duplicate_of      uuid references receipts.receipts (id),
  duplicate_reason  text,
  -- Set only by the duplicate clean-up of before 2026-12 (it deleted files); kept as a fact.
  file_deleted      boolean not null default false,
  created_at        timestamptz not null default now(),
  updated_at        timestamptz not null default now(),
  version           integer not null default 0,                -- latest receipt_versions.version
  version_seq       bigint,                                    -- its receipt_versions.seq
  vendor_key        text generated always as (receipts._vendor_key(vendor)) stored,
  vendor_bigrams    text[] generated always as (receipts._bigrams(receipts._vendor_key(vendor)))
                      stored
);
alter table receipts.receipts enable row level security;
create index receipts_date_idx on receipts.receipts (receipt_date);
create index receipts_status_idx on receipts.receipts (status);
-- Search (27_search.sql): date and amount ranges, vendor contains, in any combination.
create index receipts_total_idx on receipts.receipts (total);
create index receipts_vendor_bigrams_idx on receipts.receipts using gin (vendor_bigrams);
create index receipts_vendor_key_idx on receipts.receipts (vendor_key text_pattern_ops);

-- Per-mailbox incremental position (IMAP: UIDVALIDITY + last UID; Maildir: keys seen).
create table receipts.mail_checkpoints (
  mailbox    text primary key,
  checkpoint jsonb not null,
  updated_at timestamptz not null default now()
);
alter table receipts.mail_checkpoints enable row level security;

-- Backups written by backup_create (where, its hash, how many files, which contents).
create table receipts.backups (
  id          bigint generated always as identity primary key,
  path        text not null,
  sha256      text not null,
  members     integer not null,
  bytes       bigint not null,
  file_hashes text[] not null,
  created_at  timestamptz not null default now()
);
alter table receipts.backups enable row level security;
