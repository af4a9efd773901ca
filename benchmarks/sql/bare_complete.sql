update public.bench_bare set status = 'done' where id = any(%(ids)s);
