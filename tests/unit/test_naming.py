"""Receipt names: format, placeholders, safety, collisions and idempotent re-runs."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from supajobs_receipts.organize.naming import candidate_path, in_family, receipt_path
from supajobs_receipts.organize.organizer import OrganizeError, organize_receipt
from supajobs_receipts.organize.safe_names import safe_component
from supajobs_receipts.storage import LocalFileStore
from unit.organize_factory import make_receipt


def test_canonical_name() -> None:
    record = make_receipt(vendor="スターバックス", total=1234, date=date(2024, 6, 20))
    assert receipt_path(record) == "2024/06/2024-06-20_スターバックス_1234円.pdf"


def test_placeholders_for_unknown_fields() -> None:
    record = make_receipt(vendor=None, total=None, date=None)
    assert receipt_path(record) == "unknown-date/unknown-date_不明_金額不明.pdf"


@pytest.mark.parametrize(
    ("content_type", "original", "ext"),
    [
        ("image/jpeg", "x.JPEG", "jpg"),
        ("image/png; charset=binary", "x", "png"),
        ("application/octet-stream", "scan.JPEG", "jpg"),
        ("application/octet-stream", "scan.t/x", "bin"),
        ("application/octet-stream", "noext", "bin"),
    ],
)
def test_extension(content_type: str, original: str, ext: str) -> None:
    record = make_receipt(content_type=content_type, original_name=original)
    assert receipt_path(record).endswith(f"_1234円.{ext}")


@pytest.mark.parametrize(
    ("vendor", "expected"),
    [
        ("ｽﾀｰﾊﾞｯｸｽ", "スターバックス"),  # half-width katakana folded
        ("ＡＷＳ　Ｊａｐａｎ", "AWS-Japan"),  # noqa: RUF001 (full-width letters, U+3000 space)
        ("../../etc/passwd", "etc-passwd"),
        ("a/b\\c:d*e?f", "a-b-c-d-e-f"),
        ("\u202eevil\u200b\x07", "evil"),  # bidi override, zero-width, bell
        ("...", "不明"),
        ("CON", "_CON"),
        ("cafe\u0301", "café"),  # NFC
    ],
)
def test_vendor_is_made_safe(vendor: str, expected: str) -> None:
    assert safe_component(vendor, fallback="不明", max_bytes=200) == expected


def test_long_vendor_is_cut_on_a_character_boundary() -> None:
    record = make_receipt(vendor="株式会社" * 100)
    name = receipt_path(record).split("/")[-1]
    assert len(name.encode()) <= 255 - 8
    assert name.endswith("_1234円.pdf")
    name.encode().decode("utf-8")  # still valid UTF-8


def test_absurd_amount_gets_placeholder() -> None:
    assert receipt_path(make_receipt(total=10**40)).endswith("_金額不明.pdf")
    assert receipt_path(make_receipt(total=-500)).endswith("_-500円.pdf")


def test_candidates_and_family() -> None:
    base = "2024/06/a_1円.pdf"
    assert [candidate_path(base, n) for n in (1, 2, 10)] == [
        base,
        "2024/06/a_1円_2.pdf",
        "2024/06/a_1円_10.pdf",
    ]
    assert in_family("2024/06/a_1円_10.pdf", base)
    assert not in_family("2024/06/a_1円_1.pdf", base)
    assert not in_family("2024/06/a_1円_02.pdf", base)
    with pytest.raises(ValueError, match="collision index"):
        candidate_path(base, 0)


def test_organize_moves_and_is_idempotent(tmp_path: Path) -> None:
    store = LocalFileStore(tmp_path)
    record = make_receipt(1, data=b"A", stored_path=store.put(b"A", "a.pdf").path)
    first = organize_receipt(record, store)
    assert first.action == "moved"
    assert first.new_path == "2024/06/2024-06-20_スターバックス_1234円.pdf"
    assert store.get(first.new_path) == b"A"
    moved = record.model_copy(update={"stored_path": first.new_path})
    assert organize_receipt(moved, store).action == "unchanged"
    # A crash after the move but before the database update: the old path is re-sent.
    again = organize_receipt(record, store)
    assert (again.action, again.new_path) == ("already_there", first.new_path)
    assert store.list() == [first.new_path]


def test_collisions_get_suffixes_and_stay_stable(tmp_path: Path) -> None:
    store = LocalFileStore(tmp_path)
    a = make_receipt(1, data=b"A", stored_path=store.put(b"A", "a.pdf").path)
    b = make_receipt(2, data=b"B", stored_path=store.put(b"B", "b.pdf").path)
    ra, rb = organize_receipt(a, store), organize_receipt(b, store)
    assert rb.new_path == ra.new_path.replace("円.pdf", "円_2.pdf")
    # Re-running B after A's file is gone must not rename B again.
    store.delete(ra.new_path)
    b2 = b.model_copy(update={"stored_path": rb.new_path})
    assert organize_receipt(b2, store).action == "unchanged"
    assert store.get(rb.new_path) == b"B"


def test_missing_source_is_a_clear_error(tmp_path: Path) -> None:
    store = LocalFileStore(tmp_path)
    record = make_receipt(7, stored_path="inbox/gone.pdf")
    with pytest.raises(OrganizeError, match=r"receipt r7: its file 'inbox/gone\.pdf'"):
        organize_receipt(record, store)


def test_names_exhausted_is_a_clear_error(tmp_path: Path) -> None:
    store = LocalFileStore(tmp_path)
    record = make_receipt(1, data=b"A", stored_path=store.put(b"A", "a.pdf").path)
    base = receipt_path(record)
    for n in (1, 2, 3):
        store.write(candidate_path(base, n), f"other{n}".encode())
    with pytest.raises(OrganizeError, match="no free name"):
        organize_receipt(record, store, max_collisions=3)
