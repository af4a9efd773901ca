-- freee (issue 17, part 4): the File Box uploads (once per sha256 and company), the
-- receipt ↔ deal matches and their review list, the freee_sync job type, and the opt-in
-- freee-sync schedule in receipts.install_standard_schedules(with_freee). The schema files
-- receipts/35_freee_tables.sql, 36_freee_uploads.sql, 37_freee_matches.sql and
-- 40_standard_schedules.sql say the same; this makes the change on a deployed database.

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

-- The receipt app, part 8b: the File Box upload protocol of freee_sync (one uploader per
-- company at a time: the job type's concurrency limit is 1).
--   begin_upload → POST /receipts → finish_upload (or fail_upload on a definite refusal).
-- begin_upload answers needs_lookup when an earlier attempt's outcome is unknown (its row is
-- still 'in_flight'): the caller first looks for the file in freee (its description holds
-- the sha256) and records it with finish_upload if it is there.

create function receipts.freee_begin_upload(company_id bigint, receipt_id uuid)
returns table (state text, freee_receipt_id bigint, attempts integer, needs_lookup boolean,
               first_attempt_at timestamptz)
language plpgsql volatile security definer set search_path = '' as $$
#variable_conflict use_variable
declare
  receipt receipts.receipts;
  found receipts.freee_uploads;
  was text;
begin
  if company_id is null or company_id < 1 then
    perform jobs._raise('SJ105', pg_catalog.format(
      'company_id must be a positive freee company id, got %s', coalesce(company_id::text, 'null')));
  end if;
  receipt := receipts.get_receipt(receipt_id);
  select * into found from receipts.freee_uploads u
  where u.company_id = company_id and u.sha256 = receipt.sha256 for update;
  was := found.state;
  if was is null then
    insert into receipts.freee_uploads (company_id, sha256, receipt_id, state)
    values (company_id, receipt.sha256, receipt_id, 'in_flight') returning * into found;
  elsif was <> 'uploaded' then
    update receipts.freee_uploads u set state = 'in_flight', attempts = u.attempts + 1,
           last_attempt_at = now()
    where u.company_id = company_id and u.sha256 = receipt.sha256 returning * into found;
  end if;
  -- 'failed' was a definite refusal: nothing to look for. 'in_flight': perhaps it arrived.
  return query select found.state, found.freee_receipt_id, found.attempts,
                      coalesce(was = 'in_flight', false), found.first_attempt_at;
end
$$;

create function receipts.freee_finish_upload(company_id bigint, receipt_id uuid,
                                             freee_receipt_id bigint)
returns receipts.freee_uploads
language plpgsql volatile security definer set search_path = '' as $$
#variable_conflict use_variable
declare
  done receipts.freee_uploads;
begin
  update receipts.freee_uploads u
  set state = 'uploaded', freee_receipt_id = freee_receipt_id, uploaded_at = now(),
      last_error = null
  from receipts.receipts r
  where r.id = receipt_id and u.company_id = company_id and u.sha256 = r.sha256
    and (u.state <> 'uploaded' or u.freee_receipt_id = freee_receipt_id)
  returning u.* into done;
  if done.sha256 is null then
    perform jobs._raise('SJ409', pg_catalog.format(
      'receipt %s has no upload in progress for freee company %s (or another file id)',
      receipt_id, company_id));
  end if;
  return done;
end
$$;

create function receipts.freee_fail_upload(company_id bigint, receipt_id uuid, error text)
returns receipts.freee_uploads
language sql volatile security definer set search_path = '' as $$
  update receipts.freee_uploads u set state = 'failed', last_error = error
  from receipts.receipts r
  where r.id = receipt_id and u.company_id = company_id and u.sha256 = r.sha256
    and u.state = 'in_flight'
  returning u.*
$$;

-- What a sync still has to do, oldest first: every receipt read (or filed) since `since`
-- that is not both uploaded and settled (attached, or rejected by a person).
create function receipts.freee_work(company_id bigint, since date)
returns table (receipt_id uuid, sha256 text, stored_path text, original_name text,
               content_type text, receipt_date date, total integer, vendor text,
               invoice_number text, upload_state text, freee_receipt_id bigint,
               match_status text, deal_id bigint)
language sql stable security definer set search_path = '' as $$
  select r.id, r.sha256, r.stored_path, r.original_name, r.content_type, r.receipt_date,
         r.total, r.vendor, r.invoice_number, u.state, u.freee_receipt_id, m.status, m.deal_id
  from receipts.receipts r
  left join receipts.freee_uploads u on u.company_id = freee_work.company_id and u.sha256 = r.sha256
  left join receipts.freee_matches m on m.company_id = freee_work.company_id and m.receipt_id = r.id
  where r.status in ('read', 'needs_review', 'filed')
    and coalesce(r.receipt_date, (r.received_at at time zone 'Asia/Tokyo')::date) >= since
    and not (u.state is not distinct from 'uploaded'
             and m.status is not distinct from 'attached' or m.status is not distinct from 'rejected')
  order by r.receipt_date nulls last, r.received_at, r.id
$$;

grant execute on function receipts.freee_begin_upload(bigint, uuid) to service_role;
grant execute on function receipts.freee_finish_upload(bigint, uuid, bigint) to service_role;
grant execute on function receipts.freee_fail_upload(bigint, uuid, text) to service_role;
grant execute on function receipts.freee_work(bigint, date) to service_role;

-- The receipt app, part 8c: matches of receipts to freee deals and the review list (the
-- dashboard and `supajobs receipts freee review|confirm|reject`). The sync proposes; only a
-- person's decision (confirmed, rejected) or an attachment made in freee is final: a sync
-- never overwrites either.

-- A sync's proposal: 'ambiguous' or 'no_match' (with the candidates and, when an attachment
-- failed, the error). True when the row was written; false when it is already final. A
-- confirmed deal that cannot be attached (gone, changed) goes back to the list with why.
create function receipts.freee_record_match(company_id bigint, receipt_id uuid, status text,
    score real default null, candidates bigint[] default '{}', last_error text default null)
returns boolean
language plpgsql volatile security definer set search_path = '' as $$
#variable_conflict use_variable
declare
  written receipts.freee_matches;
begin
  if status is null or status not in ('ambiguous', 'no_match') then
    perform jobs._raise('SJ105', pg_catalog.format(
      'a sync records ambiguous or no_match, got %L (attachments: freee_mark_attached)', status));
  end if;
  perform receipts.get_receipt(receipt_id);
  insert into receipts.freee_matches as m (company_id, receipt_id, status, score, candidates,
                                           last_error)
  values (company_id, receipt_id, status, score, coalesce(candidates, '{}'), last_error)
  on conflict on constraint freee_matches_pkey do update
    set status = excluded.status, score = excluded.score, candidates = excluded.candidates,
        last_error = excluded.last_error, deal_id = null, matched_at = now()
    where m.status in ('ambiguous', 'no_match')
       or (m.status = 'confirmed' and excluded.last_error is not null)
  returning * into written;
  return written.receipt_id is not null;
end
$$;

-- The file is on the deal in freee now (by the matcher, or as a person confirmed).
create function receipts.freee_mark_attached(company_id bigint, receipt_id uuid, deal_id bigint,
                                             score real default null)
returns receipts.freee_matches
language sql volatile security definer set search_path = '' as $$
  insert into receipts.freee_matches as m (company_id, receipt_id, status, deal_id, score,
                                           candidates, attached_at)
  values (company_id, receipt_id, 'attached', deal_id, score, array[deal_id], now())
  on conflict on constraint freee_matches_pkey do update
    set status = 'attached', deal_id = excluded.deal_id, attached_at = now(), last_error = null,
        score = coalesce(excluded.score, m.score)
  returning *
$$;

-- The review list: what no rule could place, with what a person needs to decide.
create function receipts.freee_pending_matches()
returns table (company_id bigint, receipt_id uuid, status text, candidates bigint[],
               score real, last_error text, matched_at timestamptz, receipt_date date,
               total integer, vendor text, invoice_number text, original_name text,
               stored_path text, freee_receipt_id bigint)
language sql stable security definer set search_path = '' as $$
  select m.company_id, m.receipt_id, m.status, m.candidates, m.score, m.last_error,
         m.matched_at, r.receipt_date, r.total, r.vendor, r.invoice_number, r.original_name,
         r.stored_path, u.freee_receipt_id
  from receipts.freee_matches m
  join receipts.receipts r on r.id = m.receipt_id
  left join receipts.freee_uploads u on u.company_id = m.company_id and u.sha256 = r.sha256
  where m.status in ('ambiguous', 'no_match') and r.status not in ('duplicate', 'deleted')
  order by r.receipt_date nulls last, m.receipt_id
$$;

-- A person's decision on a listed receipt: 'confirm' a deal (any deal id: a person may know
-- one the matcher did not offer; the next sync attaches it) or 'reject' (not in freee).
create function receipts.freee_decide_match(receipt_id uuid, decision text, decided_by text,
    deal_id bigint default null, note text default null)
returns receipts.freee_matches
language plpgsql volatile security definer set search_path = '' as $$
#variable_conflict use_variable
declare
  made receipts.freee_matches;
  listed integer;
begin
  if decision is null or decision not in ('confirm', 'reject') then
    perform jobs._raise('SJ105', pg_catalog.format('decision must be confirm or reject, got %L',
                        decision));
  end if;
  if coalesce(decided_by, '') !~ '\S' then
    perform jobs._raise('SJ105', 'decided_by (who decides) is required');
  end if;
  if decision = 'confirm' and (deal_id is null or deal_id < 1) then
    perform jobs._raise('SJ105', 'confirm needs the freee deal id to attach the receipt to');
  end if;
  if decision = 'reject' and deal_id is not null then
    perform jobs._raise('SJ105', 'reject takes no deal id');
  end if;
  select count(*) into listed from receipts.freee_matches m where m.receipt_id = receipt_id;
  if listed = 0 then
    perform jobs._raise('SJ404', pg_catalog.format('receipt %s is not on the freee review list',
                        receipt_id));
  end if;
  update receipts.freee_matches m
  set status = case decision when 'confirm' then 'confirmed' else 'rejected' end,
      deal_id = deal_id, decided_by = decided_by, decided_at = now(), note = note,
      last_error = null
  where m.receipt_id = receipt_id and m.status in ('ambiguous', 'no_match')
  returning m.* into made;
  if made.receipt_id is null then
    perform jobs._raise('SJ409', pg_catalog.format(
      'receipt %s is already settled in freee (attached, confirmed or rejected)', receipt_id));
  end if;
  return made;
end
$$;

-- Counts for `supajobs receipts freee status`: uploads by state, matches by status.
create function receipts.freee_status()
returns table (company_id bigint, kind text, state text, receipts bigint)
language sql stable security definer set search_path = '' as $$
  select u.company_id, 'upload', u.state, count(*) from receipts.freee_uploads u group by 1, 3
  union all
  select m.company_id, 'match', m.status, count(*) from receipts.freee_matches m group by 1, 3
  order by 1, 2, 3
$$;

grant execute on function receipts.freee_record_match(bigint, uuid, text, real, bigint[], text)
  to service_role;
grant execute on function receipts.freee_mark_attached(bigint, uuid, bigint, real) to service_role;
grant execute on function receipts.freee_pending_matches() to service_role;
grant execute on function receipts.freee_decide_match(uuid, text, text, bigint, text)
  to service_role;
grant execute on function receipts.freee_status() to service_role;

-- install_standard_schedules gains its with_freee argument (a new signature: drop, create).
drop function receipts.install_standard_schedules();

-- The receipt app, part 5: the five standard schedules of the receipt pipeline, in
-- Asia/Tokyo, declared through the engine's upsert_schedule (validated, compiled, synced to
-- pg_cron). Idempotent: re-running resets them to these definitions (payload, overlap,
-- enabled too). Their job types are seeded by supabase/data/receipts.sql. With with_freee,
-- also the nightly freee sync (21:00, after the day's card and bank feed has reached freee):
-- opt-in, because an installation without a freee grant has nothing to sync.
create function receipts.install_standard_schedules(with_freee boolean default false)
returns setof jobs.job_schedules
language plpgsql volatile security definer set search_path = '' as $$
declare
  std record;
begin
  for std in
    select * from (values
      (1, 'mail-monitoring', '0 8 * * 1-5', 'email_scan'),
      (2, 'daily-cleanup',   '0 23 * * *',  'file_organize'),
      (3, 'weekly-dedup',    '0 2 * * 0',   'duplicate_cleanup'),
      (4, 'monthly-report',  '0 1 L * *',   'report_generate'),
      (5, 'weekly-backup',   '0 3 * * 1',   'backup_create'),
      (6, 'freee-sync',      '0 21 * * *',  'freee_sync')) v(ord, name, expr, job_type)
    where v.ord < 6 or coalesce(with_freee, false)
    order by ord
  loop
    return next jobs.upsert_schedule(std.name, std.expr, std.job_type, '{}'::jsonb, null,
                                     'Asia/Tokyo', 'skip', true);
  end loop;
end
$$;

grant execute on function receipts.install_standard_schedules(boolean) to service_role;

-- Privileges (security.sql does not run again): the tables for service_role only, the new
-- functions for nobody but their grants above.
revoke all on receipts.freee_uploads, receipts.freee_matches from public, anon, authenticated;
grant select, insert, update, delete on receipts.freee_uploads, receipts.freee_matches
  to service_role;
revoke all on function receipts.freee_begin_upload(bigint, uuid),
  receipts.freee_finish_upload(bigint, uuid, bigint), receipts.freee_fail_upload(bigint, uuid, text),
  receipts.freee_work(bigint, date),
  receipts.freee_record_match(bigint, uuid, text, real, bigint[], text),
  receipts.freee_mark_attached(bigint, uuid, bigint, real), receipts.freee_pending_matches(),
  receipts.freee_decide_match(uuid, text, text, bigint, text), receipts.freee_status(),
  receipts.install_standard_schedules(boolean)
  from public, anon, authenticated;

-- The job type (supabase/data/receipts.sql seeds the same row).
insert into jobs.job_types
  (name, default_priority, max_attempts, timeout_seconds, backoff_base_seconds, backoff_cap_seconds,
   concurrency_limit, heavy) values
  ('freee_sync',        'medium', 5,  900, 60,  3600, 1,    false)
on conflict (name) do nothing;
