-- receipts.backed_up_hashes() told duplicate_cleanup which files a backup already held, so
-- it could delete them. Nothing deletes a receipt's file any more (issue 15): the function
-- has no caller and is removed, so no one builds a deletion on it again.
drop function if exists receipts.backed_up_hashes();
