-- STAND-IN for Supabase's pg_net, for machines where pg_net cannot be installed (local, CI).
-- Same SQL surface as pg_net 0.x (schema net, http_get/http_post, net.http_request_queue,
-- net._http_response), mirrored from supabase/pg_net sql/pg_net.sql. The HTTP calls are made
-- by `supajobs relay`, a separate process, instead of pg_net's background worker.
-- Never install this on Supabase: there, use the real extension. Safe to run twice.

do $$
begin
  if exists (select 1 from pg_extension where extname = 'pg_net') then
    raise exception 'the real pg_net extension is installed; the stand-in must not replace it';
  end if;
end
$$;

create schema if not exists net;

do $$
begin
  if not exists (select 1 from pg_type t join pg_namespace n on n.oid = t.typnamespace
                 where n.nspname = 'net' and t.typname = 'http_method') then
    create domain net.http_method as text
      check (value ilike 'get' or value ilike 'post' or value ilike 'delete');
  end if;
end
$$;

-- Pending requests; the relay deletes them as it takes them. UNLOGGED as in pg_net: a crash
-- may lose queued requests, which is why a webhook is only ever a wake-up.
create unlogged table if not exists net.http_request_queue (
  id                   bigserial,
  method               net.http_method not null,
  url                  text not null,
  headers              jsonb,
  body                 bytea,
  timeout_milliseconds int not null
);

create unlogged table if not exists net._http_response (
  id           bigint,
  status_code  integer,
  content_type text,
  headers      jsonb,
  content      text,
  timed_out    bool,
  error_msg    text,
  created      timestamptz not null default now()
);

create index if not exists _http_response_created_idx on net._http_response (created);

-- pg_net's wake() signals its worker; ours notifies the relay. A constant payload lets
-- PostgreSQL fold all notifications of one transaction into one, delivered at commit.
create or replace function net.wake() returns void
language sql as $$ select pg_notify('supajobs_net', '') $$;

create or replace function net.check_worker_is_up() returns void
language plpgsql as $$
begin
  if not exists (select 1 from pg_stat_activity where application_name ilike '%pg_net%') then
    raise exception using
      message = 'the pg_net background worker is not up',
      detail  = 'stand-in: no `supajobs relay` process is connected to this database',
      hint    = 'start it with `supajobs relay --db-url ...`';
  end if;
end
$$;

-- Percent-encodes everything but RFC 3986 unreserved characters, byte by byte in UTF-8.
create or replace function net._urlencode_string(string varchar) returns text
language sql immutable strict as $$
  select coalesce(string_agg(
           case when ch ~ '^[A-Za-z0-9_.~-]$' then ch
                else upper(regexp_replace(encode(convert_to(ch, 'UTF8'), 'hex'), '(..)', '%\1', 'g'))
           end, '' order by ord), '')
  from regexp_split_to_table(string, '') with ordinality as t(ch, ord)
$$;

create or replace function net._encode_url_with_params_array(url text, params_array text[])
returns text
language sql immutable as $$
  select case when coalesce(cardinality(params_array), 0) = 0 then url
              else url || case when strpos(url, '?') > 0 then '&' else '?' end
                       || array_to_string(params_array, '&')
         end
$$;

create or replace function net.http_get(
  url text,
  params jsonb default '{}'::jsonb,
  headers jsonb default '{}'::jsonb,
  timeout_milliseconds int default 5000
) returns bigint
language plpgsql as $$
declare
  request_id bigint;
  params_array text[];
begin
  select coalesce(array_agg(net._urlencode_string(key) || '=' || net._urlencode_string(value)), '{}')
    into params_array from jsonb_each_text(params);
  insert into net.http_request_queue (method, url, headers, timeout_milliseconds)
  values ('GET', net._encode_url_with_params_array(url, params_array), headers, timeout_milliseconds)
  returning id into request_id;
  perform net.wake();
  return request_id;
end
$$;

create or replace function net.http_post(
  url text,
  body jsonb default '{}'::jsonb,
  params jsonb default '{}'::jsonb,
  headers jsonb default '{"Content-Type": "application/json"}'::jsonb,
  timeout_milliseconds int default 5000
) returns bigint
language plpgsql as $$
declare
  request_id bigint;
  params_array text[];
  content_type text;
begin
  select header_value into content_type
    from jsonb_each_text(coalesce(headers, '{}'::jsonb)) r(header_name, header_value)
   where lower(header_name) = 'content-type'
   limit 1;
  if content_type is null then
    headers := headers || '{"Content-Type": "application/json"}'::jsonb;
  end if;
  if content_type <> 'application/json' then
    raise exception 'Content-Type header must be "application/json"';
  end if;
  select coalesce(array_agg(net._urlencode_string(key) || '=' || net._urlencode_string(value)), '{}')
    into params_array from jsonb_each_text(params);
  insert into net.http_request_queue (method, url, headers, body, timeout_milliseconds)
  values ('POST', net._encode_url_with_params_array(url, params_array), headers,
          convert_to(body::text, 'UTF8'), timeout_milliseconds)
  returning id into request_id;
  perform net.wake();
  return request_id;
end
$$;

-- pg_net's own grants (its extension script grants to PUBLIC; Supabase narrows them).
grant usage on schema net to public;
grant all on all sequences in schema net to public;
grant all on all tables in schema net to public;
