select count(*) from procrastinate_jobs where status in ('todo', 'doing');
