"""Hypothesis: the whole field extraction (every parser, the cross-checks and the review
decision, as the pipeline calls it) never raises on arbitrary OCR/PDF lines except the
documented UnreadableReceipt, and what it returns is within its own rules. The single
parsers on arbitrary text are covered in tests/unit/test_receipt_parsers.py."""
# ruff: noqa: RUF001 - full-width digits and punctuation are what this is about

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from fuzz.strategies import fuzz_settings
from supajobs_receipts.reading.errors import UnreadableReceipt
from supajobs_receipts.reading.extract import fields_from_lines
from supajobs_receipts.reading.model import FIELD_NAMES, REVIEW_THRESHOLD

PIECES = ["合計", "小計", "税込", "内消費税", "(8%対象)", "10%", "¥", "￥", "円", "-", ",", "，",
          "１２３", "9" * 25, "0", "1,234,567,890,123", "令和", "平成", "元", "年", "月", "日",
          "2024/02/30", "R99.13.45", "T", "T1234567890123", "登録番号", "株式会社", "様", "領収書",
          "Total", "Invoice", "\t", " ", "\u3000", "\x00", "\u200b", "①", "½", "٣"]
soup = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)
lines = st.lists(st.tuples(st.text(max_size=80) | soup, st.floats(0, 100)), max_size=25)


@fuzz_settings(300)
@given(raw=lines, source=st.sampled_from(["pdf_text", "ocr", "html_text"]))
def test_extraction_never_raises_and_stays_in_bounds(raw: list[tuple[str, float]],
                                                     source: str) -> None:
    try:
        fields = fields_from_lines(raw, source)  # type: ignore[arg-type]
    except UnreadableReceipt:
        return  # the documented refusal (not a receipt / no text); anything else is a bug
    assert set(fields.confidence) == set(FIELD_NAMES)
    assert all(0.0 <= c <= 1.0 for c in fields.confidence.values())
    if fields.total is not None:
        assert isinstance(fields.total, int)
    assert fields.needs_review == any(fields.confidence[n] < REVIEW_THRESHOLD for n in FIELD_NAMES)
