select count(*) from pgqueuer_log where status = 'successful';
