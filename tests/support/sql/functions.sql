-- Functions and procedures that are ours: signature (names, defaults), result, language,
-- body (text and md5), volatility, strictness, security definer, settings (search_path...),
-- parallel safety, cost, owner and privileges.
select format('function %I.%I(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid))
         as object,
       jsonb_strip_nulls(jsonb_build_object(
         'kind', p.prokind,
         'arguments', pg_get_function_arguments(p.oid),
         'result', pg_get_function_result(p.oid),
         'language', l.lanname,
         'body_md5', md5(p.prosrc),
         'body', p.prosrc,
         'volatility', p.provolatile,
         'strict', p.proisstrict,
         'security_definer', p.prosecdef,
         'leakproof', p.proleakproof,
         'parallel', p.proparallel,
         'cost', p.procost,
         'rows', p.prorows,
         'config', (select array_agg(s order by s) from unnest(p.proconfig) s),
         'owner', pg_get_userbyid(p.proowner),
         'acl', (select array_agg(a::text order by a::text) from unnest(p.proacl) a),
         'comment', obj_description(p.oid, 'pg_proc'))) as props
from pg_proc p
join pg_namespace n on n.oid = p.pronamespace
join pg_language l on l.oid = p.prolang
where n.nspname !~ '^pg_' and n.nspname not in ('information_schema', 'supabase_migrations')
  and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass
                  and d.objid = p.oid and d.deptype = 'e')
