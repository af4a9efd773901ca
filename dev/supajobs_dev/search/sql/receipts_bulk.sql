-- supajobs.bulk_count generated receipts for the search benchmark and plan tests, each with one version
-- written through the chain trigger (so the history is as real as the pipeline's).
-- Dates over 2019-01-01 .. 2026-09 (about 2,800 days), totals 100 .. 99,999 yen, vendors
-- drawn from 600 names (brand + branch), a tenth unknown; deterministic for a given count.
insert into receipts.receipts (sha256, stored_path, original_name, content_type, source, received_at)
select pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to('bulk ' || g, 'UTF8')), 'hex'),
       'bulk/' || g || '.pdf', g || '.pdf', 'application/pdf', 'bulk',
       timestamptz '2019-01-01 09:00+09' + g * interval '23 minutes'
from pg_catalog.generate_series(1, pg_catalog.current_setting('supajobs.bulk_count')::int) g;

insert into receipts.receipt_versions (receipt_id, status, receipt_date, total, tax, tax_rate,
                                       vendor, stored_path, changed_by, change_reason)
select r.id, 'filed', date '2019-01-01' + (h % 2800)::int, t, t / 11, 10,
       case when v % 10 = 0 then null
            else (array['ヤマト運輸', 'カフェ・ベローチェ', 'JR東日本', 'Amazon.co.jp', '株式会社技術書房',
                        'ファミリーマート', 'ENEOS', '日本交通', 'ヨドバシカメラ', 'さくらインターネット'])
                 [1 + (v / 10) % 10] || ' ' ||
                 (array['新宿', '渋谷', '難波', '梅田', '札幌', '博多', '名古屋', '横浜', '神田', '仙台'])
                 [1 + (v / 100) % 10] || (array['店', '本店', '駅前店', '支店', '営業所', '東口店'])
                 [1 + (v / 1000) % 6] end,
       r.stored_path, 'system:bulk', 'generated for the search benchmark'
from (select r.*, pg_catalog.abs(pg_catalog.hashtext(r.sha256)::bigint) as h,
             100 + pg_catalog.abs(pg_catalog.hashtext(r.sha256 || 'total')::bigint) % 99900 as t,
             pg_catalog.abs(pg_catalog.hashtext(r.sha256 || 'vendor')::bigint) as v
      from receipts.receipts r where r.source = 'bulk') r
order by r.received_at;

analyze receipts.receipts;
