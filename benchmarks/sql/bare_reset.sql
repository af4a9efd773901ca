truncate public.bench_bare restart identity;
