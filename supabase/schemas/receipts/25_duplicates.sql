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
