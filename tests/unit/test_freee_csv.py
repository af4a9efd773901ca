"""freee 取引インポート CSV: layout, tax categories, encodings, and round-trips."""

from __future__ import annotations

from datetime import date

import pytest

from supajobs_receipts.report.freee_columns import COLUMNS, REQUIRED
from supajobs_receipts.report.freee_csv import (
    FreeeCsvError,
    FreeeOptions,
    deal_row,
    parse_freee_csv,
    render_freee_csv,
)
from unit.organize_factory import make_receipt

RECORDS = [
    make_receipt(1, vendor="スターバックス", total=1234, tax=112, tax_rate=10, category="会議費"),
    make_receipt(
        2,
        vendor="セブン-イレブン",
        total=540,
        tax=40,
        tax_rate=8,
        category=None,
        date=date(2024, 6, 3),
        invoice_number="T1234567890123",
        needs_review=True,
    ),
    make_receipt(3, date=None),
    make_receipt(4, total=None),
    make_receipt(5, total=-300),
]


def test_rows_have_freee_layout_and_values() -> None:
    export = render_freee_csv(RECORDS)
    assert export.exported == ("r2", "r1")  # by date
    assert [s[0] for s in export.skipped] == ["r3", "r4", "r5"]
    assert "発生日" in dict(export.skipped)["r3"]
    text = export.content.decode("utf-8")
    assert text.splitlines()[0] == ",".join(COLUMNS)
    assert "\r\n" in text
    deals = parse_freee_csv(export.content)
    seven, starbucks = deals
    assert (seven.kind, seven.occurred_on, seven.amount, seven.tax_amount) == (
        "支出",
        date(2024, 6, 3),
        540,
        40,
    )
    assert seven.tax_category == "課対仕入8%（軽）"  # noqa: RUF001
    assert seven.account == "雑費"
    assert seven.note == "セブン-イレブン T1234567890123 要確認"
    assert (seven.partner, seven.management_number, seven.tax_calc) == (
        "セブン-イレブン",
        "r2",
        "内税",
    )
    assert starbucks.tax_category == "課対仕入10%"
    assert starbucks.account == "会議費"
    assert starbucks.settled_on is None


def test_options_map_accounts_and_settle_payments() -> None:
    options = FreeeOptions(accounts={"会議費": "会議費(打合せ)"}, payment_account="現金")
    deals = parse_freee_csv(render_freee_csv(RECORDS[:1], options).content)
    (deal,) = deals
    assert deal.account == "会議費(打合せ)"
    assert (deal.settled_on, deal.settlement_account, deal.settlement_amount) == (
        date(2024, 6, 20),
        "現金",
        1234,
    )


def test_unknown_tax_rate_uses_the_default() -> None:
    record = make_receipt(tax_rate=None, tax=None)
    row = deal_row(record, FreeeOptions(default_tax_rate=8))
    assert row["税区分"] == "課対仕入8%（軽）"  # noqa: RUF001
    assert row["税額"] == ""
    with pytest.raises(ValueError, match="r3 cannot be a freee deal"):
        deal_row(RECORDS[2], FreeeOptions())


def test_utf8_bom_and_shift_jis_round_trip() -> None:
    plain = render_freee_csv(RECORDS).content
    bom = render_freee_csv(RECORDS, FreeeOptions(bom=True)).content
    sjis = render_freee_csv(RECORDS, FreeeOptions(encoding="cp932")).content
    assert bom.startswith(b"\xef\xbb\xbf")
    assert not plain.startswith(b"\xef\xbb\xbf")
    assert sjis.decode("cp932") == plain.decode("utf-8")
    assert parse_freee_csv(plain) == parse_freee_csv(bom) == parse_freee_csv(sjis)
    assert parse_freee_csv(sjis, encoding="cp932") == parse_freee_csv(plain)


def test_shift_jis_replaces_or_rejects_missing_characters() -> None:
    record = make_receipt(vendor="𠮷野家🍜")  # not in cp932
    replaced = render_freee_csv([record], FreeeOptions(encoding="cp932")).content
    (deal,) = parse_freee_csv(replaced)
    assert deal.partner == "〓野家〓"
    strict = FreeeOptions(encoding="cp932", unencodable="error")
    with pytest.raises(FreeeCsvError, match="receipt r1, column 取引先"):
        render_freee_csv([record], strict)


def test_values_with_commas_quotes_and_newlines_survive() -> None:
    record = make_receipt(vendor='A, "B"\nC')
    (deal,) = parse_freee_csv(render_freee_csv([record]).content)
    assert deal.partner == 'A, "B"\nC'


def test_empty_export_is_just_the_header() -> None:
    export = render_freee_csv([])
    assert parse_freee_csv(export.content) == []
    assert export.exported == ()


def _csv(header: list[str], *rows: list[str]) -> bytes:
    lines = [",".join(header), *(",".join(r) for r in rows)]
    return ("\r\n".join(lines) + "\r\n").encode()


GOOD = ["支出", "2024/06/20", "雑費", "課対仕入10%", "1000"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "header row is missing"),
        (_csv([*REQUIRED, "謎の列"]), "unknown columns"),
        (_csv(list(REQUIRED[:-1])), r"required columns missing \['金額'\]"),
        (_csv([*REQUIRED, "金額"]), "duplicate columns"),
        (_csv(list(REQUIRED), ["入金", *GOOD[1:]]), "line 2, column 収支区分"),
        (_csv(list(REQUIRED), [*GOOD[:1], "2024-06-20", *GOOD[2:]]), "YYYY/MM/DD"),
        (_csv(list(REQUIRED), [*GOOD[:1], "2024/02/30", *GOOD[2:]]), "line 2, column 発生日"),
        (_csv(list(REQUIRED), [*GOOD[:4], '"1,000"']), "column 金額"),
        (_csv(list(REQUIRED), [*GOOD[:2], "", *GOOD[3:]]), "勘定科目: required value is empty"),
        (_csv(list(REQUIRED), GOOD[:4]), "line 2: 4 fields, header has 5"),
        (_csv([*REQUIRED, "決済日"], [*GOOD, "2024/06/20"]), "go together"),
        (_csv([*REQUIRED, "税計算区分"], [*GOOD, "税抜"]), "税計算区分"),
        (_csv(list(REQUIRED), GOOD, [*GOOD[:4], "x"]), "line 3, column 金額"),
        (b"\xff\xfe\x00garbage\x81", "not UTF-8 or Shift_JIS"),
    ],
)
def test_parser_rejects_invalid_files(data: bytes, message: str) -> None:
    with pytest.raises(FreeeCsvError, match=message):
        parse_freee_csv(data)


def test_parser_accepts_minimal_required_columns() -> None:
    (deal,) = parse_freee_csv(_csv(list(REQUIRED), GOOD, ["", "", "", "", ""]))
    assert (deal.amount, deal.tax_amount, deal.partner) == (1000, None, "")
