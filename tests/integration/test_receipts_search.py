"""receipts.search_receipts: every combination of date range, amount range and vendor, checked
against a brute-force filter of the same rows; bad ranges are refused with the reason."""

from __future__ import annotations

import datetime as dt
import itertools
import unicodedata
from typing import Any

import psycopg
import pytest

from support.receipts_sql import call, read, save

VENDORS = ["株式会社技術書房", "ｶﾌｪ ﾄﾞﾄｰﾙ", "カフェ・ドトール 新宿店", "ＪＲ東日本", "jr東日本",
           "100%ショップ", "a_b商店", None]
KEYS = {"date_from": dt.date(2026, 3, 5), "date_to": dt.date(2026, 3, 20), "amount_min": 500,
        "amount_max": 2000}
VENDOR_QUERIES = ["技術書房", "カフェ", "jr", "ＪＲ東", "%", "_", "店", "東日本 "]


def key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).lower().split())


@pytest.fixture
def receipts(svc: psycopg.Connection[Any]) -> list[dict[str, Any]]:
    rows = []
    for n in range(60):
        r = save(svc, f"search {n}")
        date = None if n % 11 == 0 else dt.date(2026, 3, 1) + dt.timedelta(days=n % 28)
        total = None if n % 13 == 0 else 100 * (n % 30) + 20
        rows.append(read(svc, r["id"], date=date and date.isoformat(), total=total,
                         vendor=VENDORS[n % len(VENDORS)]))
    call(svc, "delete_receipt", receipt_id=rows[1]["id"], changed_by="t", reason="test")
    return [call(svc, "get_receipt", receipt_id=r["id"])[0] for r in rows]


def brute(rows: list[dict[str, Any]], **q: Any) -> list[Any]:
    def keep(r: dict[str, Any]) -> bool:
        if r["status"] == "deleted":
            return False
        d, t, v = r["receipt_date"], r["total"], r["vendor"]
        return ((q.get("date_from") is None or (d is not None and d >= q["date_from"]))
                and (q.get("date_to") is None or (d is not None and d <= q["date_to"]))
                and (q.get("amount_min") is None or (t is not None and t >= q["amount_min"]))
                and (q.get("amount_max") is None or (t is not None and t <= q["amount_max"]))
                and (q.get("vendor") is None or (v is not None and key(q["vendor"]) in key(v))))
    return sorted(r["id"] for r in rows if keep(r))


@pytest.mark.parametrize("vendor", [None, *VENDOR_QUERIES])
def test_every_combination_matches_a_brute_force_filter(
        svc: psycopg.Connection[Any], receipts: list[dict[str, Any]], vendor: str | None) -> None:
    for n in range(len(KEYS) + 1):
        for chosen in itertools.combinations(KEYS, n):
            q: dict[str, Any] = {k: KEYS[k] for k in chosen}
            if vendor is not None:
                q["vendor"] = vendor
            found = call(svc, "search_receipts", **q)
            assert sorted(r["id"] for r in found) == brute(receipts, **q), q
            dates = [r["receipt_date"] or dt.date.max for r in found]
            assert dates == sorted(dates)  # by date, undated last


def test_ranges_are_inclusive_and_deleted_only_on_request(
        svc: psycopg.Connection[Any], receipts: list[dict[str, Any]]) -> None:
    exact = receipts[2]
    found = call(svc, "search_receipts", date_from=exact["receipt_date"],
                 date_to=exact["receipt_date"], amount_min=exact["total"],
                 amount_max=exact["total"])
    assert exact["id"] in [r["id"] for r in found]
    deleted = [r["id"] for r in call(svc, "search_receipts", include_deleted=True)]
    assert receipts[1]["id"] in deleted
    assert len(call(svc, "search_receipts", max_rows=5)) == 5


@pytest.mark.parametrize(("args", "message"), [
    ({"date_from": dt.date(2026, 4, 1), "date_to": dt.date(2026, 3, 1)}, "is after date_to"),
    ({"amount_min": 300, "amount_max": 200}, "is above amount_max"),
    ({"amount_min": -1}, "must not be negative"),
    ({"vendor": "  　"}, "more than spaces"),
    ({"max_rows": 0}, "max_rows must be from 1 to 10000"),
])
def test_bad_searches_name_the_problem(svc: psycopg.Connection[Any], args: dict[str, Any],
                                       message: str) -> None:
    with pytest.raises(psycopg.Error) as err:
        call(svc, "search_receipts", **args)
    assert err.value.sqlstate == "SJ105" and message in str(err.value)
