"""Where a receipt is filed: `YYYY/MM/YYYY-MM-DD_<vendor>_<amount>円.<ext>`.

The name depends only on the receipt's fields, so re-runs give the same name. Unknown fields
get placeholders instead of guesses. Collisions get `_2`, `_3`, … before the extension.
"""

from __future__ import annotations

import posixpath
import re

from supajobs_receipts.organize.records import ReceiptRecord
from supajobs_receipts.organize.safe_names import safe_component, utf8_len
from supajobs_receipts.storage.keys import MAX_COMPONENT_BYTES
from supajobs_receipts.storage.mime import EXT_BY_TYPE

DATE_PLACEHOLDER = "unknown-date"
VENDOR_PLACEHOLDER = "不明"
AMOUNT_PLACEHOLDER = "金額不明"
MAX_AMOUNT = 10**12  # a receipt above a trillion yen is a misread, not an amount
SUFFIX_RESERVE = 8  # bytes kept free for collision suffixes such as "_1000"
_EXT = re.compile(r"^[a-z0-9]{1,10}$")


def extension_for(record: ReceiptRecord) -> str:
    """Extension from the content type, else from the original name, else `bin`."""
    known = EXT_BY_TYPE.get(record.content_type.split(";")[0].strip().lower())
    if known:
        return known
    ext = posixpath.splitext(record.original_name)[1][1:].lower()
    ext = "jpg" if ext == "jpeg" else ext
    return ext if _EXT.match(ext) else "bin"


def folder_for(record: ReceiptRecord) -> str:
    if record.date is None:
        return DATE_PLACEHOLDER
    return f"{record.date.year:04d}/{record.date.month:02d}"


def amount_label(total: int | None) -> str:
    if total is None or abs(total) >= MAX_AMOUNT:
        return AMOUNT_PLACEHOLDER
    return f"{total}円"


def receipt_filename(record: ReceiptRecord) -> str:
    day = record.date.isoformat() if record.date else DATE_PLACEHOLDER
    amount = amount_label(record.total)
    ext = extension_for(record)
    fixed = utf8_len(f"{day}__{amount}.{ext}")
    vendor = safe_component(
        record.vendor or "",
        fallback=VENDOR_PLACEHOLDER,
        max_bytes=MAX_COMPONENT_BYTES - SUFFIX_RESERVE - fixed,
    )
    return f"{day}_{vendor}_{amount}.{ext}"


def receipt_path(record: ReceiptRecord) -> str:
    """The receipt's preferred key in the store (before any collision suffix)."""
    return f"{folder_for(record)}/{receipt_filename(record)}"


def candidate_path(base: str, n: int) -> str:
    """The n-th name to try for `base`: n=1 is `base` itself, then `stem_2.ext`, …"""
    if n < 1:
        raise ValueError(f"collision index must be >= 1, got {n}")
    if n == 1:
        return base
    stem, ext = posixpath.splitext(base)
    return f"{stem}_{n}{ext}"


def in_family(path: str, base: str) -> bool:
    """True if `path` is `base` or one of its collision-suffixed variants."""
    stem, ext = posixpath.splitext(base)
    if path == base:
        return True
    pattern = re.escape(stem) + r"_([2-9]|[1-9][0-9]+)" + re.escape(ext)
    return re.fullmatch(pattern, path) is not None
