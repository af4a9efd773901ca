-- pgqueuer deletes a job from its queue table when it finishes (and logs it). 1 or 0, as for
-- every system (see cmp_pending_supajobs.sql).
select count(*) from (select 1 from pgqueuer limit 1) s;
