"""How sure to be of each field, from evidence, and so whether a person must look.

A parser's own confidence says how clearly the document labelled a value; OCR's word
confidences say how clearly it was printed; the cross-checks say whether the amounts agree.
An OCR'd amount that nothing confirms is never certain: a misread digit looks just as
labelled as a right one. A receipt goes to review when any of the five fields is unsure.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from .agreement import DISAGREEING, Second, agrees
from .cross_check import Checked
from .model import FIELD_NAMES, REVIEW_THRESHOLD, FieldName, Found, Source
from .normalize import compact

UNCONFIRMED_OCR_AMOUNT = 0.55  # below the threshold: an unconfirmed OCR total means review
_CJK = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
_SHORT_LATIN = re.compile(r"(?<![A-Za-z])[A-Za-z]{1,4}(?![A-Za-z])")
# Names that do mix scripts.
_KNOWN_LATIN = re.compile(r"(?<![A-Za-z])(?:JR|JA|NTT|KDDI|AWS|SC|DX|IT)(?![A-Za-z])")
_LONG_NUMBER = re.compile(r"\d{12,}")  # 13 digits with a T the OCR lost or garbled
_REGISTRATION_HINTS = ("登録番号", "registration", "インボイス")


def ocr_factor(line_confidence: float) -> float:
    """Scale a parser's confidence by how sure Tesseract was about that line (0..100)."""
    return min(1.0, 0.55 + line_confidence / 200)


def _confirmed(base: float, holds: Sequence[str]) -> float:
    return max(base, min(0.99, 0.9 + 0.03 * len(holds))) if holds else base


def _vendor(hit: Found[object], base: float, lines: list[str], line_conf: list[float],
            source: Source) -> float:
    """A garbled short line right under the name may have been its branch; a few Latin
    letters inside a Japanese name read by OCR ("焼鳥 Att", "SER 八王子店") are misread kanji."""
    below = hit.line + 1
    if below < len(lines) and len(compact(lines[below])) <= 8 and line_conf[below] < 60:
        base *= 0.7
    name = str(hit.value)
    if source == "ocr" and _CJK.search(name) and _SHORT_LATIN.search(name) \
            and not _KNOWN_LATIN.search(name):
        base *= 0.7
    return base


def _absent_invoice_number(lines: list[str]) -> float:
    """No number found: right when the receipt shows none, doubtful when it has the label."""
    text = compact("".join(lines))
    if any(hint in text for hint in _REGISTRATION_HINTS) or _LONG_NUMBER.search(text):
        return 0.3
    return 0.9


def confidences(found: dict[FieldName, Found[object] | None], checked: Checked,
                lines: list[str], line_conf: list[float], source: Source,
                second: Second | None = None) -> dict[FieldName, float]:
    result: dict[FieldName, float] = {}
    for name in FIELD_NAMES:
        hit = found[name]
        if hit is None:
            result[name] = _absent_invoice_number(lines) if name == "invoice_number" else 0.0
            continue
        base = hit.confidence * ocr_factor(line_conf[hit.line])
        if name == "total":
            base = _amount(base, checked.total_holds, source,
                           conflict=bool(checked.total_conflicts))
        elif name == "tax":
            base = _amount(base, checked.tax_holds, source, conflict=bool(checked.tax_conflicts))
        elif name == "vendor":
            base = _vendor(hit, base, lines, line_conf, source)
        elif name == "date" and isinstance(hit.value, dt.date) and hit.value > dt.date.today():
            base = min(base, 0.3)  # a receipt from the future: a digit misread
        if second is not None and base >= REVIEW_THRESHOLD and \
                agrees(name, hit, lines, second) is False:
            base = min(base, DISAGREEING)
        result[name] = round(min(1.0, base), 3)
    return result


def _amount(base: float, holds: Sequence[str], source: Source, *, conflict: bool) -> float:
    if holds:
        return _confirmed(base, holds)
    if conflict:
        return min(base, 0.3)
    return min(base, UNCONFIRMED_OCR_AMOUNT) if source == "ocr" else base


def needs_review(confidence: dict[FieldName, float]) -> bool:
    return any(confidence[name] < REVIEW_THRESHOLD for name in FIELD_NAMES)
