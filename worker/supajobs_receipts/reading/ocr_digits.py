"""Digits from a second, English-only OCR pass, which reads 0 and 9 apart where jpn does not.

Tesseract's Japanese model often reads "0" as "9" in printed receipts (the T-number check
digit is mod 9, so it cannot catch that). The English model reads digits reliably but not
kanji, so each Japanese line takes its digit runs from the English line at the same height,
only when both lines hold digit runs of identical lengths.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class BoxedLine:
    text: str
    confidence: float  # mean word confidence, 0..100
    top: int
    bottom: int


def boxed_lines(data: dict[str, list[Any]]) -> list[BoxedLine]:
    """Group Tesseract's word table (image_to_data) into lines with their vertical extent."""
    grouped: dict[tuple[int, int, int], list[int]] = {}
    for i, word in enumerate(data["text"]):
        if float(data["conf"][i]) < 0 or not str(word).strip():
            continue
        key = (int(data["block_num"][i]), int(data["par_num"][i]), int(data["line_num"][i]))
        grouped.setdefault(key, []).append(i)
    lines: list[BoxedLine] = []
    for _, idx in sorted(grouped.items()):
        confs = [float(data["conf"][i]) for i in idx]
        lines.append(BoxedLine(
            " ".join(str(data["text"][i]) for i in idx), sum(confs) / len(confs),
            min(int(data["top"][i]) for i in idx),
            max(int(data["top"][i]) + int(data["height"][i]) for i in idx),
        ))
    return lines


def _overlap(a: BoxedLine, b: BoxedLine) -> float:
    shared = min(a.bottom, b.bottom) - max(a.top, b.top)
    return shared / max(1, min(a.bottom - a.top, b.bottom - b.top))


def _runs(text: str) -> list[str]:
    return _DIGITS.findall(re.sub(r"(?<=\d)[ ,.](?=\d)", "", text))


def _aligned(ours: list[str], theirs: list[str]) -> list[str] | None:
    """Their runs, if they line up one-to-one with ours; a long run may carry one extra leading
    digit (the English model reads the T of a T-number as 1)."""
    if len(ours) != len(theirs):
        return None
    pairs = zip(ours, theirs, strict=True)
    fixed = [b[1:] if len(b) == len(a) + 1 and len(a) >= 10 else b for a, b in pairs]
    return fixed if all(len(a) == len(b) for a, b in zip(ours, fixed, strict=True)) else None


def _substitute(text: str, runs: list[str]) -> str:
    replacement = iter(runs)
    return _DIGITS.sub(lambda _: next(replacement), text)


def merge_digits(japanese: list[BoxedLine], english: list[BoxedLine]) -> list[BoxedLine]:
    """Japanese lines with their digit runs replaced by the English pass's, where they align."""
    merged: list[BoxedLine] = []
    for line in japanese:
        partner = max(english, key=lambda other: _overlap(line, other), default=None)
        runs = None
        if partner is not None and _overlap(line, partner) >= 0.6:
            runs = _aligned(_DIGITS.findall(line.text), _runs(partner.text))
        if runs is None:
            merged.append(line)
            continue
        text = _substitute(line.text, runs)
        merged.append(BoxedLine(text, line.confidence, line.top, line.bottom))
    return merged
