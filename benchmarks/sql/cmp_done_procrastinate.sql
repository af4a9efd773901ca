select count(*) from procrastinate_jobs where status = 'succeeded';
