truncate pgqueuer, pgqueuer_log, pgqueuer_statistics restart identity;
