"""Tesseract OCR (jpn+eng) with page orientation detection and per-line confidences."""

from __future__ import annotations

import re
from typing import Any

from PIL import Image

from . import engine
from .crop import crop_to_content, crop_to_text
from .digit_pass import english_digit_lines, take_registration_numbers
from .errors import UnreadableReason, UnreadableReceipt
from .ocr_digits import BoxedLine, boxed_lines, merge_digits
from .preprocess import denoise, deskew, ensure_not_blank, scale_for_ocr
from .second_reading import LineRereader

OcrLine = tuple[str, float]  # text, mean word confidence 0..100
_ROTATE = re.compile(r"Rotate:\s*(\d+)")
_ORIENT_CONF = re.compile(r"Orientation confidence:\s*([\d.]+)")
LOW_CONFIDENCE = 55.0
_NUMBER = re.compile(r"\d{2,}")
MIN_NUMBER_LINES = 2  # a receipt has a date and amounts; a turned page has no such lines


def orientation(img: Image.Image, timeout: float) -> int:
    """Degrees to rotate counter-clockwise so text is upright (0 when OSD is unsure)."""
    try:
        osd = engine.image_to_osd(img, timeout)
    except engine.EngineError:
        return 0  # too little text to tell: keep the image as it is
    rotate, conf = _ROTATE.search(osd), _ORIENT_CONF.search(osd)
    if rotate is None or conf is None or float(conf.group(1)) < 1.5:
        return 0
    return int(rotate.group(1))


def prepare(img: Image.Image, timeout: float, detect_orientation: bool) -> Image.Image:
    """The whole preprocessing chain, in the order that keeps each step's input sensible."""
    ensure_not_blank(img)
    img = crop_to_content(img)  # the desk goes first: it is not paper to even out
    turn = orientation(scale_for_ocr(img), timeout) if detect_orientation else 0
    if turn:
        img = img.rotate(-turn, expand=True, fillcolor=255)
    straight = deskew(img)
    if straight is not img or turn:  # a turn adds paper corners to crop; else it is done
        img = crop_to_text(straight)
    return denoise(scale_for_ocr(img))


def ocr_image(img: Image.Image, languages: str = "jpn+eng", timeout: float = 60.0,
              rereader: LineRereader | None = None) -> list[OcrLine]:
    """Text lines of a grayscale image with their confidences (0..100). With a rereader, the
    page and its line boxes are added to it, for second readings of chosen lines."""
    # Orientation detection only when the first reading is poor (a turned or upside-down
    # scan): most pages are upright, and OSD costs a pass of its own (docs/benchmarks.md).
    ready = prepare(img, timeout, detect_orientation=False)
    data = _data(ready, languages, timeout)
    lines = boxed_lines(data)
    if not _reads_well(lines):
        ready = prepare(img, timeout, detect_orientation=True)
        data = _data(ready, languages, timeout)
        lines = boxed_lines(data)

    def read(strip: Image.Image, langs: str, psm: int) -> dict[str, list[Any]]:
        return _data(strip, langs, timeout, psm)

    if languages != "eng" and any(ch.isdigit() for line in lines for ch in line.text):
        english = english_digit_lines(ready, data, read)  # the digit words only
        lines = take_registration_numbers(merge_digits(lines, english), english)
    if rereader is not None:
        rereader.add_page(ready, lines)
    return [(line.text, line.confidence) for line in lines]


def new_rereader(languages: str, timeout: float) -> LineRereader:
    return LineRereader(languages, lambda strip, langs, psm: _data(strip, langs, timeout, psm))


def _reads_well(lines: list[BoxedLine]) -> bool:
    """Confident, and with numbers in it: a turned page reads as confident circles and O too."""
    if not lines or sum(line.confidence for line in lines) / len(lines) < LOW_CONFIDENCE:
        return False
    return sum(1 for line in lines if _NUMBER.search(line.text)) >= MIN_NUMBER_LINES


def _data(img: Image.Image, languages: str, timeout: float, psm: int = 6
          ) -> dict[str, list[Any]]:
    try:
        return engine.image_to_data(img, languages, psm, timeout)
    except engine.EngineError as exc:
        raise UnreadableReceipt(UnreadableReason.OCR_FAILED, f"tesseract failed: {exc}") from exc
