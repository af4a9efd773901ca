"""Hypothesis properties: any receipt fields give a safe, valid, bounded name in the store."""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from supajobs_receipts.organize.naming import candidate_path, receipt_path
from supajobs_receipts.organize.safe_names import safe_component, truncate_utf8
from supajobs_receipts.storage import validate_key
from unit.organize_factory import make_receipt

_ROOT = Path("/srv/receipt-store")  # never created: resolve() works on paths that don't exist

receipts = st.builds(
    lambda vendor, total, day, ctype, original: make_receipt(
        vendor=vendor, total=total, date=day, content_type=ctype, original_name=original
    ),
    vendor=st.none() | st.text(max_size=400),
    total=st.none() | st.integers(min_value=-(10**15), max_value=10**15),
    day=st.none() | st.dates(min_value=date(1, 1, 1)),
    ctype=st.sampled_from(["application/pdf", "image/png", "x/y", ""]) | st.text(max_size=20),
    original=st.text(max_size=300),
)


@settings(max_examples=300, deadline=None)
@given(receipts, st.integers(min_value=1, max_value=9999))
def test_names_are_safe_valid_and_bounded(record: object, n: int) -> None:
    path = candidate_path(receipt_path(record), n)  # type: ignore[arg-type]
    assert validate_key(path) == path  # no traversal, separators, control chars; NFC
    assert unicodedata.is_normalized("NFC", path)
    path.encode("utf-8").decode("utf-8")
    for part in path.split("/"):
        assert part
        assert len(part.encode("utf-8")) <= 255
    full = (_ROOT / path).resolve()
    assert _ROOT in full.parents


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=500), st.integers(min_value=2, max_value=300))
def test_safe_component_never_empty_and_within_bytes(text: str, limit: int) -> None:
    out = safe_component(text, fallback="不明", max_bytes=limit)
    assert out
    assert "/" not in out
    assert "\\" not in out
    assert out not in (".", "..")
    assert unicodedata.is_normalized("NFC", out)
    assert out == "不明" or len(out.encode("utf-8")) <= limit


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300), st.integers(min_value=0, max_value=255))
def test_truncate_is_a_bounded_prefix(text: str, limit: int) -> None:
    out = truncate_utf8(text, limit)
    assert len(out.encode("utf-8")) <= limit
    assert unicodedata.is_normalized("NFC", out)


@settings(max_examples=100, deadline=None)
@given(receipts)
def test_same_receipt_same_name(record: object) -> None:
    assert receipt_path(record) == receipt_path(record)  # type: ignore[arg-type]
    copy = record.model_copy()  # type: ignore[attr-defined]
    assert receipt_path(copy) == receipt_path(record)  # type: ignore[arg-type]
