"""Hypothesis with hostile input: receipt fields built from traversal and Unicode tricks
('..', separators, full-width solidus, RTL override, combining marks, NUL, lone surrogates
from surrogateescape-decoded mail) are filed under the store root, as NFC, valid UTF-8.
Plain arbitrary text is covered by tests/unit/test_naming_properties.py; this writes for real
into a LocalFileStore and looks at where the bytes landed."""

from __future__ import annotations

import os
import unicodedata
from datetime import date
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from fuzz.strategies import fuzz_settings
from supajobs_receipts.organize.naming import candidate_path, receipt_path
from supajobs_receipts.storage.local import LocalFileStore
from unit.organize_factory import make_receipt

FRAGMENTS = ["..", ".", "/", "\\", "../", "..\\", "\uff0f", "\uff0e\uff0e", "\u2215", "\u2044", "\x00", "\n",
             "\r", "\t", "\u202e", "\u200b", "\ufeff", "e\u0301", "\u0301", "が", "か\u3099",
             "~", "$HOME", "%2e%2e%2f", "CON", "nul", " ", "\udcff", "\udc80", "\U0001f4a9",
             "a" * 120, "株" * 90, ":", "*", "?", "|", '"', "<", ">"]
hostile = st.lists(st.sampled_from(FRAGMENTS), max_size=12).map("".join)


@st.composite
def records(draw: st.DrawFn) -> object:
    return make_receipt(vendor=draw(st.none() | hostile), original_name=draw(hostile),
                        content_type=draw(st.sampled_from(["application/pdf", "", "x/../y"])
                                          | hostile),
                        total=draw(st.none() | st.integers(-(10**13), 10**13)),
                        date=draw(st.none() | st.dates(date(1, 1, 1))))


@fuzz_settings(200)
@given(record=records(), n=st.integers(1, 50))
def test_hostile_fields_are_filed_inside_the_store(tmp_path_factory: object, record: object,
                                                   n: int) -> None:
    root = Path(tmp_path_factory.mktemp("store")).resolve()  # type: ignore[attr-defined]
    key = candidate_path(receipt_path(record), n)  # type: ignore[arg-type]
    assert unicodedata.is_normalized("NFC", key)
    assert key.encode("utf-8").decode("utf-8") == key  # no lone surrogates survive
    LocalFileStore(root).write(key, b"receipt")
    written = [Path(d, f).resolve() for d, _, files in os.walk(root) for f in files]
    assert len(written) == 1 and root in written[0].parents
    assert written[0].relative_to(root).as_posix() == key
