select count(*) as rows, count(*) filter (where status = 'done') as done from public.bench_bare;
