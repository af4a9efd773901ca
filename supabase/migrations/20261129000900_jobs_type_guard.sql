-- The foreign key jobs.jobs.job_type -> job_types checked the type on every job inserted:
-- one `SELECT ... FOR KEY SHARE` of the type's row per enqueue, which writes a lock (WAL, and a
-- MultiXact as soon as two producers enqueue the same type) on one hot row, and makes every
-- enqueue of a concurrency-limited type wait while a claim holds that row FOR UPDATE
-- (jobs._claim serialises its claimers that way). Every path that inserts jobs already joins
-- job_types (an unknown type is SJ100), so the check moves to the rare side: deleting or
-- renaming a type that jobs still use is refused, as the foreign key refused it.

alter table jobs.jobs drop constraint jobs_job_type_fkey;

create function jobs._job_type_in_use() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op = 'UPDATE' and new.name = old.name then
    return new;  -- `set name = name`: nothing renamed
  end if;
  -- No index on jobs.job_type (none is needed on the hot path): this scans jobs.jobs, which
  -- is acceptable for an operator's rare delete or rename of a type.
  if exists (select 1 from jobs.jobs j where j.job_type = old.name) then
    raise exception 'job type % is still used by jobs in jobs.jobs', old.name
      using errcode = 'foreign_key_violation',
            hint = 'purge or delete those jobs first, or keep the type';
  end if;
  return case when tg_op = 'DELETE' then old else new end;
end
$$;

create trigger job_types_in_use before delete or update of name on jobs.job_types
for each row
execute function jobs._job_type_in_use();

select jobs._secure_schema();
