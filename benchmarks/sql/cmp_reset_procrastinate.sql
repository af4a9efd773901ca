truncate procrastinate_jobs restart identity cascade;
