"""The English digit pass (ocr_digits.merge_digits) reads only the words that hold digits.

For each line of the Japanese pass that has digits, a strip with just that line's digit
words (the rest white) is read as one line (psm 7) by the English model. The whole page
read a second time cost 0.20 s of CPU per image on the benchmark set; the strips cost a
fraction of it (docs/benchmarks.md). Each strip's line keeps the Japanese line's height on
the page, which is what merge_digits pairs lines by. A word the Japanese pass read without
any digit is left out: merge_digits only replaces digit runs that line up one to one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from PIL import Image

from .ocr_digits import BoxedLine
from .parse_invoice import check_digit_ok

PAD = 0.25  # of the word's height, on each side: keeps the strokes at the box's edge
LINE_PSM = 7
Read = Callable[[Image.Image, str, int], dict[str, list[Any]]]  # (strip, languages, psm)


def _lines(data: dict[str, list[Any]]) -> list[list[int]]:
    """Word indexes per line, as ocr_digits.boxed_lines groups them."""
    grouped: dict[tuple[int, int, int], list[int]] = {}
    for i, word in enumerate(data["text"]):
        if float(data["conf"][i]) < 0 or not str(word).strip():
            continue
        key = (int(data["block_num"][i]), int(data["par_num"][i]), int(data["line_num"][i]))
        grouped.setdefault(key, []).append(i)
    return [idx for _, idx in sorted(grouped.items())]


def _box(data: dict[str, list[Any]], i: int, img: Image.Image) -> tuple[int, int, int, int]:
    left, top = int(data["left"][i]), int(data["top"][i])
    width, height = int(data["width"][i]), int(data["height"][i])
    pad = max(2, round(height * PAD))
    return (max(0, left - pad), max(0, top - pad), min(img.width, left + width + pad),
            min(img.height, top + height + pad))


def _strip(img: Image.Image, boxes: list[tuple[int, int, int, int]]) -> Image.Image:
    left, top = min(b[0] for b in boxes), min(b[1] for b in boxes)
    right, bottom = max(b[2] for b in boxes), max(b[3] for b in boxes)
    strip = Image.new("L", (right - left, bottom - top), 255)
    for box in boxes:
        strip.paste(img.crop(box), (box[0] - left, box[1] - top))
    return strip


def english_digit_lines(img: Image.Image, data: dict[str, list[Any]], read: Read
                        ) -> list[BoxedLine]:
    """One English line per Japanese line with digits, at the Japanese line's height."""
    found: list[BoxedLine] = []
    for idx in _lines(data):
        digits = [i for i in idx if any(ch.isdigit() for ch in str(data["text"][i]))]
        boxes = [b for b in (_box(data, i, img) for i in digits) if b[2] > b[0] and b[3] > b[1]]
        if not boxes:
            continue
        words = read(_strip(img, boxes), "eng", LINE_PSM)
        kept = [j for j, w in enumerate(words["text"])
                if float(words["conf"][j]) >= 0 and str(w).strip()]
        if not kept:
            continue
        confs = [float(words["conf"][j]) for j in kept]
        top = min(int(data["top"][i]) for i in idx)
        bottom = max(int(data["top"][i]) + int(data["height"][i]) for i in idx)
        found.append(BoxedLine(" ".join(str(words["text"][j]) for j in kept),
                               sum(confs) / len(confs), top, bottom))
    return found


_WHOLE_NUMBER = re.compile(r"T(\d{13})")
_NUMBER_READ = re.compile(r"T?\d{13,15}")  # the Japanese pass: T as a digit, or one too many


def take_registration_numbers(japanese: list[BoxedLine], english: list[BoxedLine]
                              ) -> list[BoxedLine]:
    """Where a strip reads a whole registration number (T and 13 digits, check digit right)
    and its Japanese line holds a run of that size that merge_digits could not pair (the
    Japanese model read the T as a digit, or added one), the strip's number replaces it.
    The whole-page pass read the T as a digit too, so it paired; the strip does not."""
    by_top = {(line.top, line.bottom): line for line in english}
    fixed: list[BoxedLine] = []
    for line in japanese:
        strip = by_top.get((line.top, line.bottom))
        whole = _WHOLE_NUMBER.search(strip.text.replace(" ", "")) if strip else None
        flat = line.text.replace(" ", "")
        read = _NUMBER_READ.search(flat)
        if whole is None or read is None or not check_digit_ok(whole.group(1)) \
                or read.group(0).lstrip("T") == whole.group(1):
            fixed.append(line)
            continue
        text = flat[:read.start()] + whole.group(0) + flat[read.end():]
        fixed.append(BoxedLine(text, line.confidence, line.top, line.bottom))
    return fixed
