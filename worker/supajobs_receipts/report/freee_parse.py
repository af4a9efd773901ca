"""Reading a freee 取引インポート CSV back, checking what freee would reject."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime

from supajobs_receipts.report.freee_columns import (
    COLUMNS,
    DATE_FORMAT,
    KINDS,
    REQUIRED,
    SETTLEMENT,
    TAX_CALC_VALUES,
)

_INT = re.compile(r"^-?[0-9]+$")


class FreeeCsvError(ValueError):
    """The CSV is not a valid deal import; the message names the line and column."""


@dataclass(frozen=True)
class FreeeDeal:
    kind: str  # 収支区分
    occurred_on: date  # 発生日
    account: str  # 勘定科目
    tax_category: str  # 税区分
    amount: int  # 金額
    tax_amount: int | None  # 税額
    management_number: str  # 管理番号
    partner: str  # 取引先
    tax_calc: str  # 税計算区分
    note: str  # 備考
    settled_on: date | None  # 決済日
    settlement_account: str  # 決済口座
    settlement_amount: int | None  # 決済金額
    row: dict[str, str]  # every column as written


def _decode(data: bytes, encoding: str | None) -> str:
    if encoding:
        return data.decode(encoding)
    if data.startswith(b"\xef\xbb\xbf"):
        return data.decode("utf-8-sig")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp932")  # freee's other accepted encoding


def _check_header(header: list[str]) -> None:
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        raise FreeeCsvError(f"line 1: duplicate columns {dupes}")
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        raise FreeeCsvError(f"line 1: unknown columns {unknown}")
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise FreeeCsvError(f"line 1: required columns missing {missing}")


def _date(value: str, where: str) -> date:
    try:
        return datetime.strptime(value, DATE_FORMAT).date()
    except ValueError:
        raise FreeeCsvError(f"{where}: {value!r} is not a YYYY/MM/DD date") from None


def _int(value: str, where: str) -> int:
    if not _INT.match(value):
        raise FreeeCsvError(f"{where}: {value!r} is not an integer amount")
    return int(value)


def _deal(row: dict[str, str], line: int) -> FreeeDeal:
    def at(column: str) -> str:
        return f"line {line}, column {column}"

    for column in REQUIRED:
        if not row[column]:
            raise FreeeCsvError(f"{at(column)}: required value is empty")
    if row["収支区分"] not in KINDS:
        raise FreeeCsvError(f"{at('収支区分')}: {row['収支区分']!r} is not 収入 or 支出")
    if row.get("税計算区分", "") not in TAX_CALC_VALUES:
        raise FreeeCsvError(f"{at('税計算区分')}: {row['税計算区分']!r} is not 内税 or 外税")
    settled = [row.get(c, "") for c in SETTLEMENT]
    if any(settled) and not all(settled):
        raise FreeeCsvError(f"line {line}: 決済日, 決済口座 and 決済金額 go together")
    return FreeeDeal(
        kind=row["収支区分"],
        occurred_on=_date(row["発生日"], at("発生日")),
        account=row["勘定科目"],
        tax_category=row["税区分"],
        amount=_int(row["金額"], at("金額")),
        tax_amount=_int(row["税額"], at("税額")) if row.get("税額") else None,
        management_number=row.get("管理番号", ""),
        partner=row.get("取引先", ""),
        tax_calc=row.get("税計算区分", ""),
        note=row.get("備考", ""),
        settled_on=_date(row["決済日"], at("決済日")) if settled[0] else None,
        settlement_account=settled[1],
        settlement_amount=_int(settled[2], at("決済金額")) if settled[2] else None,
        row=row,
    )


def parse_freee_csv(data: bytes, encoding: str | None = None) -> list[FreeeDeal]:
    """Parse and validate; `encoding` None means BOM → UTF-8 → Shift_JIS (cp932)."""
    try:
        text = _decode(data, encoding)
    except UnicodeDecodeError as exc:
        raise FreeeCsvError(f"not {encoding or 'UTF-8 or Shift_JIS'} text: {exc}") from None
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows or not any(rows[0]):
        raise FreeeCsvError("line 1: empty file, the header row is missing")
    header = rows[0]
    _check_header(header)
    deals = []
    for line, values in enumerate(rows[1:], start=2):
        if not any(values):
            continue  # blank lines (e.g. a trailing newline in a spreadsheet export)
        if len(values) != len(header):
            raise FreeeCsvError(f"line {line}: {len(values)} fields, header has {len(header)}")
        deals.append(_deal(dict(zip(header, values, strict=True)), line))
    return deals
