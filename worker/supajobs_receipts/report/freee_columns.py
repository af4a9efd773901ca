"""The freee 取引インポート (deal import) layout: column names and the values we use.

Source: freee help 「取引・口座振替のインポート」 — 収支区分 (収入/支出), 発生日 (YYYY/MM/DD),
勘定科目, 税区分 and 金額 are required; the rest are optional. The three 決済 columns record
payment and go together (all filled = settled deal, all empty = unsettled).
"""

from __future__ import annotations

COLUMNS: tuple[str, ...] = (
    "収支区分",
    "管理番号",
    "発生日",
    "決済期日",
    "取引先コード",
    "取引先",
    "勘定科目",
    "税区分",
    "金額",
    "税計算区分",
    "税額",
    "備考",
    "品目",
    "部門",
    "メモタグ(複数指定可、カンマ区切り)",
    "セグメント1",
    "セグメント2",
    "セグメント3",
    "決済日",
    "決済口座",
    "決済金額",
)
REQUIRED: tuple[str, ...] = ("収支区分", "発生日", "勘定科目", "税区分", "金額")
SETTLEMENT: tuple[str, ...] = ("決済日", "決済口座", "決済金額")

EXPENSE = "支出"
INCOME = "収入"
KINDS = frozenset({EXPENSE, INCOME})
TAX_INCLUSIVE = "内税"  # receipt totals include consumption tax
TAX_CALC_VALUES = frozenset({"", "内税", "外税"})
TAX_CATEGORY = {10: "課対仕入10%", 8: "課対仕入8%（軽）"}  # noqa: RUF001 (freee's own spelling)
DATE_FORMAT = "%Y/%m/%d"
