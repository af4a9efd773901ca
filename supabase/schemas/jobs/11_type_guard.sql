-- supajobs engine, part 3: job types that jobs still use cannot be deleted or renamed. This
-- is what a foreign key jobs.jobs.job_type -> job_types would refuse, checked on the rare
-- side (an operator's delete or rename) instead of on every enqueue (10_tables.sql says why).

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
