insert into public.bench_bare (status) select 'queued' from generate_series(1, %(jobs)s);
