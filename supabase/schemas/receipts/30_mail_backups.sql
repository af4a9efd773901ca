-- The receipt app, part 4: mailbox checkpoints (email_scan) and backups (backup_create,
-- duplicate_cleanup).

create function receipts.get_checkpoint(mailbox text) returns jsonb
language sql stable security definer set search_path = '' as $$
  select c.checkpoint from receipts.mail_checkpoints c where c.mailbox = get_checkpoint.mailbox
$$;

create function receipts.save_checkpoint(mailbox text, checkpoint jsonb) returns void
language sql volatile security definer set search_path = '' as $$
  insert into receipts.mail_checkpoints as c (mailbox, checkpoint) values (mailbox, checkpoint)
  on conflict on constraint mail_checkpoints_pkey do update
    set checkpoint = excluded.checkpoint, updated_at = now()
$$;

create function receipts.record_backup(path text, sha256 text, members integer, bytes bigint,
                                       file_hashes text[])
returns receipts.backups
language sql volatile security definer set search_path = '' as $$
  insert into receipts.backups (path, sha256, members, bytes, file_hashes)
  values (path, sha256, members, bytes, coalesce(file_hashes, '{}')) returning *
$$;

grant execute on function receipts.get_checkpoint(text) to service_role;
grant execute on function receipts.save_checkpoint(text, jsonb) to service_role;
grant execute on function receipts.record_backup(text, text, integer, bigint, text[])
  to service_role;
