-- pgqueuer deletes a job from its queue table when it finishes (and logs it).
select count(*) from pgqueuer;
