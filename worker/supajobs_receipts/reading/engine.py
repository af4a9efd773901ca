"""The Tesseract engine behind ocr.py: loaded once per process and thread, not once per call.

pytesseract starts a `tesseract` process per call, and each of those loads the jpn+eng
models again (about 0.25 s of a 0.5 s read on this machine, docs/benchmarks.md). The C API
of the same libtesseract (tess_capi) keeps one initialised engine per (thread, languages,
page mode), so a process pays the load once. SUPAJOBS_OCR_ENGINE=cli goes back to
pytesseract. Results have pytesseract's shapes: image_to_data's dict, image_to_osd's text.
"""

from __future__ import annotations

import os
import threading
from typing import Any

import pytesseract
from PIL import Image

from .tess_capi import TessApi, TesseractUnavailableError

TSV_HEADER = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight" \
             "\tconf\ttext"
ENGINE_ENV = "SUPAJOBS_OCR_ENGINE"  # "api" (the default) or "cli"
_local = threading.local()  # one engine may serve one thread at a time only


class EngineError(RuntimeError):
    """Tesseract could not read the image (or gave up at the time limit)."""


class EngineSettingError(ValueError):
    """SUPAJOBS_OCR_ENGINE names no engine: a configuration error, not a per-file one."""


def use_api() -> bool:
    choice = os.environ.get(ENGINE_ENV, "").strip().lower() or "api"
    if choice not in ("api", "cli"):
        raise EngineSettingError(f"{ENGINE_ENV} must be api or cli, got {choice!r}")
    return choice == "api"


def _api(languages: str, psm: int, variables: tuple[tuple[str, str], ...] = ()) -> TessApi:
    engines: dict[tuple[str, int, tuple[tuple[str, str], ...]], TessApi] = \
        _local.__dict__.setdefault("engines", {})
    key = (languages, psm, variables)
    if key not in engines:
        try:
            engines[key] = TessApi(languages, psm, dict(variables))
        except TesseractUnavailableError as exc:
            raise EngineError(str(exc)) from exc
    return engines[key]


def image_to_data(img: Image.Image, languages: str, psm: int, timeout: float
                  ) -> dict[str, list[Any]]:
    """Tesseract's word table, as pytesseract.image_to_data(output_type=DICT) returns it."""
    if not use_api():
        try:
            data: dict[str, list[Any]] = pytesseract.image_to_data(
                img, lang=languages, config=f"--psm {psm}",
                output_type=pytesseract.Output.DICT, timeout=timeout)
        except (pytesseract.TesseractError, RuntimeError) as exc:
            raise EngineError(str(exc)) from exc
        return data
    try:
        rows = _api(languages, psm).tsv(img, timeout)
    except TimeoutError as exc:
        raise EngineError(str(exc)) from exc
    parsed: dict[str, list[Any]] = pytesseract.pytesseract.file_to_dict(
        f"{TSV_HEADER}\n{rows}", "\t", -1)
    return parsed


def image_to_osd(img: Image.Image, timeout: float, min_characters: int = 10) -> str:
    """Orientation and script, in the text form of `tesseract --psm 0`."""
    if not use_api():
        try:
            osd: str = pytesseract.image_to_osd(
                img, config=f"--psm 0 -c min_characters_to_try={min_characters}",
                timeout=timeout)
        except (pytesseract.TesseractError, RuntimeError) as exc:
            raise EngineError(str(exc)) from exc
        return osd
    found = _api("osd", 0, (("min_characters_to_try", str(min_characters)),)).orientation(img)
    if found is None:
        raise EngineError("too few characters to detect the orientation")
    degrees, confidence, script, script_confidence = found
    # The CLI's "Rotate" is the turn that makes the text upright: 360 - orientation.
    return (f"Orientation in degrees: {degrees}\nRotate: {(360 - degrees) % 360}\n"
            f"Orientation confidence: {confidence:.2f}\n"
            f"Script: {script}\nScript confidence: {script_confidence:.2f}\n")
