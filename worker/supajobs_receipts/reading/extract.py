"""From text lines to ReceiptFields: run every parser, cross-check, decide on review."""

from __future__ import annotations

from collections.abc import Sequence

from .errors import UnreadableReason, UnreadableReceipt
from .model import (
    FIELD_NAMES,
    KEY_FIELDS,
    REVIEW_THRESHOLD,
    FieldName,
    Found,
    ReceiptFields,
    Source,
)
from .money import find_money
from .normalize import compact, normalize_line
from .parse_amount import parse_total
from .parse_date import parse_date
from .parse_invoice import check_digit_ok, parse_invoice_number
from .parse_tax import parse_tax, tax_consistent
from .parse_vendor import parse_vendor

_RECEIPT_WORDS = (
    "領収", "レシート", "請求", "合計", "お買上", "税込", "receipt", "invoice", "total",
)


def _ocr_factor(line_confidence: float) -> float:
    """Scale a parser's confidence by how sure Tesseract was about that line (0..100)."""
    return min(1.0, 0.55 + line_confidence / 200)


def _looks_like_receipt(lines: list[str]) -> bool:
    text = compact("".join(lines))
    if any(word in text for word in _RECEIPT_WORDS):
        return True
    return any(money.marked for line in lines for money in find_money(line))


def fields_from_lines(raw: Sequence[tuple[str, float]], source: Source,
                      warnings: Sequence[str] = ()) -> ReceiptFields:
    """Parse (line, OCR confidence 0..100) pairs; PDF text lines carry 100."""
    pairs = [(normalize_line(text), conf) for text, conf in raw]
    pairs = [(text, conf) for text, conf in pairs if text]
    lines, line_conf = [text for text, _ in pairs], [conf for _, conf in pairs]
    if not lines:
        raise UnreadableReceipt(UnreadableReason.NOT_A_RECEIPT, "no text found in the file")
    found: dict[FieldName, Found[object] | None] = {
        "date": parse_date(lines), "total": parse_total(lines), "tax": parse_tax(lines),
        "vendor": parse_vendor(lines), "invoice_number": parse_invoice_number(lines),
    }
    nothing_found = found["total"] is None and found["invoice_number"] is None
    if nothing_found and not _looks_like_receipt(lines):
        raise UnreadableReceipt(UnreadableReason.NOT_A_RECEIPT,
                                "no amount, registration number or receipt wording found")
    confidence: dict[FieldName, float] = {}
    for name in FIELD_NAMES:
        hit = found[name]
        if hit is None:
            confidence[name] = 0.0
        else:
            confidence[name] = round(hit.confidence * _ocr_factor(line_conf[hit.line]), 3)
    notes = list(warnings)
    _cross_check(found, confidence, notes)
    for name in KEY_FIELDS:
        if found[name] is None:
            notes.append(f"{name} not found")
    confidence = {name: round(value, 3) for name, value in confidence.items()}
    review = any(confidence[name] < REVIEW_THRESHOLD for name in KEY_FIELDS)
    values = {name: (hit.value if hit is not None else None) for name, hit in found.items()}
    return ReceiptFields.model_validate({**values, "confidence": confidence, "needs_review": review,
                                         "source": source, "warnings": notes,
                                         "text": "\n".join(text for text, _ in raw)})


def _cross_check(found: dict[FieldName, Found[object] | None], confidence: dict[FieldName, float],
                 notes: list[str]) -> None:
    total, tax, number = found["total"], found["tax"], found["invoice_number"]
    if total is not None and tax is not None:
        assert isinstance(total.value, int)
        assert isinstance(tax.value, int)
        if tax_consistent(tax.value, total.value):
            confidence["tax"] = max(confidence["tax"], 0.9)
            confidence["total"] = min(1.0, confidence["total"] + 0.05)
        elif tax.value > total.value:
            confidence["tax"] = min(confidence["tax"], 0.2)
            notes.append(f"tax {tax.value} exceeds the total {total.value}")
        elif tax.value > total.value * 10 / 110 + 2:
            confidence["tax"] = min(confidence["tax"], 0.4)
            notes.append(f"tax {tax.value} is more than 10% of the total {total.value}")
        else:  # a missed rate line, or partly tax-free: possible, but not to be trusted blindly
            confidence["tax"] = min(confidence["tax"], 0.5)
            notes.append(f"tax {tax.value} is less than 8% of the total {total.value}")
    if number is not None and not check_digit_ok(str(number.value)[1:]):
        notes.append(f"registration number {number.value} fails its check digit")
