-- The receipt app, part 8a: freee. Which receipts reached the company's File Box (once per
-- sha256: a retry or a re-run never uploads twice) and which deal each belongs to. Written
-- only by the receipts.freee_* functions (35_freee.sql); nothing here is ever deleted.

-- One row per (company, file). 'in_flight' is set before the POST, so an attempt whose
-- answer was lost (timeout, crash) is seen by the next one, which looks the file up in
-- freee before uploading; 'failed' is a definite refusal (the file did not arrive).
create table receipts.freee_uploads (
  company_id        bigint not null check (company_id > 0),
  sha256            text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  receipt_id        uuid not null references receipts.receipts (id),
  state             text not null check (state in ('in_flight', 'uploaded', 'failed')),
  freee_receipt_id  bigint check (freee_receipt_id > 0),
  attempts          integer not null default 1 check (attempts >= 1),
  first_attempt_at  timestamptz not null default now(),
  last_attempt_at   timestamptz not null default now(),
  uploaded_at       timestamptz,
  last_error        text,
  primary key (company_id, sha256),
  check ((state = 'uploaded') = (freee_receipt_id is not null))
);
alter table receipts.freee_uploads enable row level security;

-- Where each uploaded receipt goes. 'attached' (on the deal in freee), 'ambiguous' and
-- 'no_match' (the review list; re-matched by every sync until a person decides),
-- 'confirmed' (a person chose the deal; the next sync attaches it), 'rejected' (a person
-- said it has no deal in freee, or none of these).
create table receipts.freee_matches (
  company_id   bigint not null check (company_id > 0),
  receipt_id   uuid not null references receipts.receipts (id),
  status       text not null check (status in ('attached', 'ambiguous', 'no_match',
                                               'confirmed', 'rejected')),
  deal_id      bigint check (deal_id > 0),
  score        real,
  candidates   bigint[] not null default '{}',
  matched_at   timestamptz not null default now(),
  attached_at  timestamptz,
  decided_by   text,
  decided_at   timestamptz,
  note         text,
  last_error   text,
  primary key (company_id, receipt_id),
  check (status not in ('attached', 'confirmed') or deal_id is not null)
);
alter table receipts.freee_matches enable row level security;
create index freee_matches_pending_idx on receipts.freee_matches (status)
  where status in ('ambiguous', 'no_match', 'confirmed');
