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
