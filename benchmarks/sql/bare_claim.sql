update public.bench_bare set status = 'running'
where id in (select id from public.bench_bare where status = 'queued'
             order by id limit %(batch)s for update skip locked)
returning id;
