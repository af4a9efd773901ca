select count(*) from jobs.enqueue_batch(items => %(items)s);
