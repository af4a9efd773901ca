"""Text clean-up shared by every parser: full-width to ASCII, OCR spacing, yen signs."""

from __future__ import annotations

import re
import unicodedata

# Han, kana, CJK punctuation and the full-width forms NFKC leaves alone.
_CJK = r"\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef々〆"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK})])[ \t]+(?=[{_CJK}])")
_SPACE_CJK_DIGIT = re.compile(rf"(?<=[{_CJK}])[ \t]+(?=[0-9¥])|(?<=[0-9])[ \t]+(?=[年月日円])")
# OCR splits "1,000" into "1, 000"; only a 3-digit group after the separator is joined.
_SPLIT_GROUP = re.compile(
    r"(?<=\d)[ \t]*([,.])[ \t]+(?=\d{3}(?!\d))|(?<=\d)[ \t]+([,])(?=\d{3}(?!\d))"
)
_AFTER_YEN = re.compile(r"¥[ \t]+(?=\d)")
# Yen has no decimals: OCR reads a thousands comma as "." or ",." ("2.563", "1,.413"), and
# the amount would end at the first group ("2"). Only 1-3 leading digits and whole 3-digit
# groups qualify, so dates (2024.6.20), phones and cents (12.50) are left alone.
_GROUPED = re.compile(r"(?<![\d.,])\d{1,3}(?:(?:[.,]{1,2})\d{3})+(?![\d]|[.,]\d)")
_GROUP_SEPARATOR = re.compile(r"[.,]{1,2}")
_YEN_AS_Y = re.compile(r"(?<![A-Za-z0-9])Y(?= ?\d)")  # ¥ read as Y: "Y979" is no model name
_YEN_AS_F9 = re.compile(r"(?<=\d)[ ]?F9(?![0-9A-Za-z])")  # Tesseract's usual misreading of 円
_YEN_SPACED_GROUP = re.compile(r"(¥\d{1,3}) (\d{3})(?!\d)")  # "¥2 563": the comma not seen
_MULTISPACE = re.compile(r"[ \t]{2,}")
_PAREN_SPACE = re.compile(r"(?<=\()[ \t]+|[ \t]+(?=\))")
_WHITESPACE = re.compile(r"\s+")


def normalize_line(line: str) -> str:
    """One line of receipt text in a canonical form the parsers can match reliably."""
    text = unicodedata.normalize("NFKC", line)
    # Japanese fonts draw the backslash as a yen sign, and OCR reads it back as "\".
    text = text.replace("\\", "¥").replace("￥", "¥")
    text = text.replace("\u301c", "~").replace("\u2212", "-").replace("\u30fc-", "ー-")
    text = _SPACE_BETWEEN_CJK.sub("", text)
    text = _SPACE_CJK_DIGIT.sub("", text)
    text = _SPLIT_GROUP.sub(lambda m: m.group(1) or m.group(2), text)
    text = _AFTER_YEN.sub("¥", text)
    text = _YEN_AS_F9.sub("円", text)
    text = _YEN_AS_Y.sub("¥", text)
    text = _YEN_SPACED_GROUP.sub(r"\1,\2", text)
    text = _GROUPED.sub(lambda m: _GROUP_SEPARATOR.sub(",", m.group(0)), text)
    text = _PAREN_SPACE.sub("", text)
    return _MULTISPACE.sub(" ", text).strip()


def normalize_lines(text: str) -> list[str]:
    """Non-empty normalized lines of a document."""
    lines = (normalize_line(raw) for raw in text.splitlines())
    return [line for line in lines if line]


def compact(line: str) -> str:
    """The line without any whitespace and lower-cased, for keyword tests."""
    return _WHITESPACE.sub("", line).casefold()
