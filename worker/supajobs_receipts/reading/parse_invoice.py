"""The qualified-invoice registration number: "T" followed by 13 digits (適格請求書発行事業者)."""

from __future__ import annotations

import re

from .model import Found
from .normalize import compact

# OCR reads the T as the kanji 丁 or inserts hyphens and spaces between digit groups.
_T_NUMBER = re.compile(r"(?<![a-z0-9])[t丁](\d{13})(?!\d)")
# Without the T, or with the T read as "1" or "7" (14 digits), trusted only on a labelled line.
_BARE_NUMBER = re.compile(r"(?<!\d)[17]?(\d{13})(?!\d)")
_LABEL = ("登録番号", "registrationnumber", "registrationno", "インボイス", "適格請求書")


def check_digit_ok(digits: str) -> bool:
    """The corporate-number check digit (法人番号): 9 - (sum of digit * (1 or 2) mod 9)."""
    if len(digits) != 13 or not digits.isdigit():
        return False
    body = digits[1:]
    total = sum(int(d) * (1 if n % 2 else 2) for n, d in enumerate(reversed(body), start=1))
    return int(digits[0]) == 9 - total % 9


def parse_invoice_number(lines: list[str]) -> Found[str] | None:
    """The first registration number found; a failed check digit lowers the confidence."""
    for index, line in enumerate(lines):
        flat = compact(line).replace("-", "")
        labelled = any(label in flat for label in _LABEL)
        match = _T_NUMBER.search(flat)
        if match is None and labelled:
            match = _BARE_NUMBER.search(flat)
        if match is None:
            continue
        digits = match.group(1)
        confidence = 0.95 if check_digit_ok(digits) else 0.55
        prefix = match.group(0)[0]
        if prefix != "t":
            confidence -= 0.1 if prefix == "丁" else 0.15  # OCR "丁", or the T was lost
        if not labelled:
            confidence -= 0.1
        return Found(f"T{digits}", max(0.0, confidence), index)
    return None
