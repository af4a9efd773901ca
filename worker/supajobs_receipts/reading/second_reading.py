"""A second look at one OCR line: the line's strip alone, at another scale, read as one line.

Tesseract's page pass can misread a glyph with high confidence; a reading of the same strip
in another setting (single-line mode, 1.3 x the size) rarely makes the same mistake, so when
the two disagree on a field's line, the field is doubtful (review.py). Reads are on demand and
cached: only the lines a field came from are read again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PIL import Image

from .ocr_digits import BoxedLine

STRIP_PSM = 7
STRIP_SCALE = 1.3
PAD = 0.2  # of the line's height, above and below
Read = Callable[[Image.Image, str, int], dict[str, list[Any]]]  # (strip, languages, psm)


class LineRereader:
    """Second readings of the lines of one or more pages, by the line's index in reading order."""

    def __init__(self, languages: str, read: Read) -> None:
        self._languages, self._read = languages, read
        self._lines: list[tuple[Image.Image, BoxedLine]] = []
        self._cache: dict[int, str] = {}

    def add_page(self, img: Image.Image, lines: list[BoxedLine]) -> None:
        self._lines.extend((img, line) for line in lines)

    def __call__(self, index: int) -> str | None:
        if not 0 <= index < len(self._lines):
            return None
        if index not in self._cache:
            img, line = self._lines[index]
            pad = max(2, round((line.bottom - line.top) * PAD))
            strip = img.crop((0, max(0, line.top - pad), img.width,
                              min(img.height, line.bottom + pad)))
            size = (round(strip.width * STRIP_SCALE), round(strip.height * STRIP_SCALE))
            words = self._read(strip.resize(size, Image.Resampling.LANCZOS), self._languages,
                               STRIP_PSM)
            kept = [str(w) for w, c in zip(words["text"], words["conf"], strict=True)
                    if float(c) >= 0 and str(w).strip()]
            self._cache[index] = " ".join(kept)
        return self._cache[index]
