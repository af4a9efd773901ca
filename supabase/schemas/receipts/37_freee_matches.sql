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
