-- The receipt app, part 2: the pipeline's data.

create table receipts.receipts (
  id                uuid primary key default gen_random_uuid(),
  sha256            text not null unique check (sha256 ~ '^[0-9a-f]{64}$'),
  stored_path       text not null,
  original_name     text not null,
  content_type      text not null,
  source            text not null default 'mail',           -- mail, maildir, upload
  message_id        text,
  received_at       timestamptz not null default now(),
  status            text not null default 'stored' check (status in
                      ('stored', 'read', 'needs_review', 'unreadable', 'filed', 'duplicate')),
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
  file_deleted      boolean not null default false,
  created_at        timestamptz not null default now(),
  updated_at        timestamptz not null default now()
);
alter table receipts.receipts enable row level security;
create index receipts_date_idx on receipts.receipts (receipt_date);
create index receipts_status_idx on receipts.receipts (status);

-- Per-mailbox incremental position (IMAP: UIDVALIDITY + last UID; Maildir: keys seen).
create table receipts.mail_checkpoints (
  mailbox    text primary key,
  checkpoint jsonb not null,
  updated_at timestamptz not null default now()
);
alter table receipts.mail_checkpoints enable row level security;

-- Backups written by backup_create; duplicate_cleanup deletes a file only if one holds it.
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
