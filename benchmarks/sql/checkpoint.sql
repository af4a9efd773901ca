-- Before every timed phase (superuser): each starts right after a checkpoint, so none pays
-- for one that falls inside its window or for full-page images left over from the last.
checkpoint;
