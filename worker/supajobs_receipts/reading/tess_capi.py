"""Tesseract's C API (capi.h) through ctypes: the very library the `tesseract` CLI links.

Same engine version, same models, same results as the CLI (checked in
tests/unit/test_ocr_engine.py); only the per-call process start and model load are gone.
One TessApi serves one thread at a time.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import time
from functools import cache

from PIL import Image


class TesseractUnavailableError(RuntimeError):
    """libtesseract cannot be loaded or initialised."""


@cache
def library() -> ctypes.CDLL:
    name = ctypes.util.find_library("tesseract") or "libtesseract.so.5"
    try:
        lib = ctypes.CDLL(name)
    except OSError as exc:
        raise TesseractUnavailableError(f"cannot load libtesseract ({name}): {exc}") from exc
    vp, cp, i = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int
    signatures: dict[str, tuple[object, list[object]]] = {
        "TessBaseAPICreate": (vp, []), "TessBaseAPIDelete": (None, [vp]),
        "TessBaseAPIInit3": (i, [vp, cp, cp]), "TessBaseAPISetPageSegMode": (None, [vp, i]),
        "TessBaseAPISetVariable": (i, [vp, cp, cp]),
        "TessBaseAPISetImage": (None, [vp, cp, i, i, i, i]),
        "TessBaseAPIRecognize": (i, [vp, vp]), "TessBaseAPIGetTsvText": (vp, [vp, i]),
        "TessBaseAPIClear": (None, [vp]), "TessDeleteText": (None, [vp]),
        "TessMonitorCreate": (vp, []), "TessMonitorDelete": (None, [vp]),
        "TessMonitorSetDeadlineMSecs": (None, [vp, i]),
        "TessBaseAPIDetectOrientationScript": (
            i, [vp, ctypes.POINTER(i), ctypes.POINTER(ctypes.c_float),
                ctypes.POINTER(ctypes.c_char_p), ctypes.POINTER(ctypes.c_float)]),
    }
    for fn, (restype, argtypes) in signatures.items():
        getattr(lib, fn).restype = restype
        getattr(lib, fn).argtypes = argtypes
    return lib


class TessApi:
    """One initialised engine: languages loaded once, then any number of images."""

    def __init__(self, languages: str, psm: int, variables: dict[str, str] | None = None) -> None:
        self._lib = library()
        self._handle = self._lib.TessBaseAPICreate()
        # datapath None: the tessdata directory compiled into the library, as the CLI uses
        if self._lib.TessBaseAPIInit3(self._handle, None, languages.encode()) != 0:
            self.close()
            raise TesseractUnavailableError(f"cannot load the tesseract models {languages!r}")
        self._lib.TessBaseAPISetPageSegMode(self._handle, psm)
        # The library's diagnostics ("Invalid resolution 0 dpi…") would land on our stderr;
        # pytesseract swallowed the CLI's.
        for name, value in {"debug_file": "/dev/null", **(variables or {})}.items():
            self._lib.TessBaseAPISetVariable(self._handle, name.encode(), value.encode())

    def _set_image(self, img: Image.Image) -> None:
        gray = img if img.mode == "L" else img.convert("L")
        self._lib.TessBaseAPISetImage(self._handle, gray.tobytes(), gray.width, gray.height,
                                      1, gray.width)  # tesseract copies the pixels

    def tsv(self, img: Image.Image, timeout: float) -> str:
        """Recognise the image; the rows of `tesseract … tsv` (without the header)."""
        self._set_image(img)
        monitor = self._lib.TessMonitorCreate()
        started = time.monotonic()
        try:
            self._lib.TessMonitorSetDeadlineMSecs(monitor, max(1, int(timeout * 1000)))
            failed = self._lib.TessBaseAPIRecognize(self._handle, monitor) != 0
        finally:
            self._lib.TessMonitorDelete(monitor)
        if failed or time.monotonic() - started >= timeout:
            self._lib.TessBaseAPIClear(self._handle)
            raise TimeoutError(f"recognition failed or took longer than {timeout:g} s")
        pointer = self._lib.TessBaseAPIGetTsvText(self._handle, 0)
        try:
            return ctypes.string_at(pointer).decode("utf-8", errors="replace") if pointer else ""
        finally:
            if pointer:
                self._lib.TessDeleteText(pointer)
            self._lib.TessBaseAPIClear(self._handle)

    def orientation(self, img: Image.Image) -> tuple[int, float, str, float] | None:
        """(orientation in degrees, its confidence, script, its confidence); None if unsure."""
        self._set_image(img)
        degrees, conf = ctypes.c_int(), ctypes.c_float()
        script, script_conf = ctypes.c_char_p(), ctypes.c_float()
        try:
            ok = self._lib.TessBaseAPIDetectOrientationScript(
                self._handle, ctypes.byref(degrees), ctypes.byref(conf), ctypes.byref(script),
                ctypes.byref(script_conf))
        finally:
            self._lib.TessBaseAPIClear(self._handle)
        if not ok:
            return None
        name = script.value.decode() if script.value else ""
        return degrees.value, conf.value, name, script_conf.value

    def close(self) -> None:
        if getattr(self, "_handle", None):
            self._lib.TessBaseAPIDelete(self._handle)
            self._handle = None

    def __del__(self) -> None:
        self.close()
