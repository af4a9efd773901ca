"""From text lines to ReceiptFields: run every parser, cross-check, decide on review."""

from __future__ import annotations

from collections.abc import Sequence

from . import cross_check
from .agreement import Second
from .errors import UnreadableReason, UnreadableReceipt
from .model import FIELD_NAMES, FieldName, Found, ReceiptFields, Source
from .money import find_money
from .money_facts import money_facts
from .normalize import compact, normalize_line
from .parse_amount import parse_total, total_candidates
from .parse_date import parse_date
from .parse_invoice import check_digit_ok, parse_invoice_number
from .parse_tax import parse_tax, rate_bases, tax_consistent, tax_options
from .parse_vendor import parse_vendor
from .review import confidences, needs_review

_RECEIPT_WORDS = (
    "領収", "レシート", "請求", "合計", "お買上", "税込", "receipt", "invoice", "total",
)


def _looks_like_receipt(lines: list[str]) -> bool:
    text = compact("".join(lines))
    if any(word in text for word in _RECEIPT_WORDS):
        return True
    return any(money.marked for line in lines for money in find_money(line))


def fields_from_lines(raw: Sequence[tuple[str, float]], source: Source,
                      warnings: Sequence[str] = (), reread: Second | None = None) -> ReceiptFields:
    """Parse (line, OCR confidence 0..100) pairs; PDF text lines carry 100. `reread` gives a
    second reading of a raw line by its index (OCR only)."""
    kept = [(i, normalize_line(text), conf) for i, (text, conf) in enumerate(raw)]
    kept = [(i, text, conf) for i, text, conf in kept if text]
    lines, line_conf = [text for _, text, _ in kept], [conf for _, _, conf in kept]
    second = (lambda index: reread(kept[index][0])) if reread is not None else None
    if not lines:
        raise UnreadableReceipt(UnreadableReason.NOT_A_RECEIPT, "no text found in the file")
    total, number = parse_total(lines), parse_invoice_number(lines)
    if total is None and number is None and not _looks_like_receipt(lines):
        raise UnreadableReceipt(UnreadableReason.NOT_A_RECEIPT,
                                "no amount, registration number or receipt wording found")
    checked = cross_check.check(total, parse_tax(lines), total_candidates(lines),
                                money_facts(lines), rate_bases(lines), tax_options(lines))
    found: dict[FieldName, Found[object] | None] = {
        "date": parse_date(lines), "total": checked.total, "tax": checked.tax,
        "vendor": parse_vendor(lines), "invoice_number": number,
    }
    confidence = confidences(found, checked, lines, line_conf, source, second)
    notes = [*warnings, *checked.problems]
    _ratio_notes(found, notes)
    for name in FIELD_NAMES:
        if found[name] is None and name != "invoice_number":
            notes.append(f"{name} not found")
    review = needs_review(confidence)
    values = {name: (hit.value if hit is not None else None) for name, hit in found.items()}
    return ReceiptFields.model_validate({**values, "confidence": confidence, "needs_review": review,
                                         "source": source, "warnings": notes,
                                         "text": "\n".join(text for text, _ in raw)})


def _ratio_notes(found: dict[FieldName, Found[object] | None], notes: list[str]) -> None:
    """Why a tax or registration number is doubtful, in words, for the one who reviews."""
    total, tax, number = found["total"], found["tax"], found["invoice_number"]
    if total is not None and tax is not None:
        assert isinstance(total.value, int)
        assert isinstance(tax.value, int)
        if tax.value and not tax_consistent(tax.value, total.value) and tax.value < total.value:
            notes.append(f"tax {tax.value} is not 8-10 % of the total {total.value}")
    if number is not None and not check_digit_ok(str(number.value)[1:]):
        notes.append(f"registration number {number.value} fails its check digit")
