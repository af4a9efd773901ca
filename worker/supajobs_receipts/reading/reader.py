"""read_receipt: the single code path from a file (PDF, image, HTML) to ReceiptFields."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .errors import UnreadableReason, UnreadableReceipt
from .extract import fields_from_lines
from .model import ReceiptFields
from .ocr import OcrLine, new_rereader, ocr_image
from .preprocess import load_image
from .text_html import html_text
from .text_pdf import has_text, open_pdf, pdf_text, render_pages

Kind = Literal["pdf", "image", "html"]
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*", b"BM")
_HTML_SUFFIXES = {".html", ".htm"}


@dataclass(frozen=True)
class ReadOptions:
    max_bytes: int = 50 * 1024 * 1024  # mail attachments above this are refused, not read
    max_pixels: int = 60_000_000
    max_pdf_pages: int = 5
    languages: str = "jpn+eng"
    ocr_timeout: float = 120.0


def sniff(data: bytes, filename: str | None) -> Kind:
    """The file's kind from its first bytes; the name only decides between HTML and nothing."""
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(_IMAGE_MAGIC) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
        return "image"
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    suffix = Path(filename).suffix.lower() if filename else ""
    if suffix in _HTML_SUFFIXES or head.startswith((b"<!doctype html", b"<html")):
        return "html"
    raise UnreadableReceipt(UnreadableReason.UNSUPPORTED_FORMAT,
                            f"not a PDF, image or HTML file (starts with {data[:8]!r})")


def _too_large(size: int, limit: int) -> UnreadableReceipt:
    return UnreadableReceipt(UnreadableReason.TOO_LARGE, f"{size} bytes, over the {limit} limit")


def _load(source: str | os.PathLike[str] | bytes, max_bytes: int) -> bytes:
    if isinstance(source, bytes):
        data = source
    else:
        size = os.stat(source).st_size
        if size > max_bytes:
            raise _too_large(size, max_bytes)
        data = Path(source).read_bytes()
    if not data:
        raise UnreadableReceipt(UnreadableReason.EMPTY_FILE, "the file is empty (0 bytes)")
    if len(data) > max_bytes:
        raise _too_large(len(data), max_bytes)
    return data


def _read_pdf(data: bytes, options: ReadOptions) -> ReceiptFields:
    reader = open_pdf(data)
    text = pdf_text(reader, options.max_pdf_pages)
    if has_text(text):
        return fields_from_lines([(line, 100.0) for line in text.splitlines()], "pdf_text")
    lines: list[OcrLine] = []
    rereader = new_rereader(options.languages, options.ocr_timeout)
    for page in render_pages(data, reader, options.max_pdf_pages, options.ocr_timeout):
        lines.extend(ocr_image(page, options.languages, options.ocr_timeout, rereader))
    return fields_from_lines(lines, "ocr", ["scanned PDF without a text layer: read by OCR"],
                             rereader)


def read_receipt(source: str | os.PathLike[str] | bytes, filename: str | None = None,
                 options: ReadOptions | None = None) -> ReceiptFields:
    """Read one receipt. Raises UnreadableReceipt (never retryable) when it cannot be read."""
    opts = options or ReadOptions()
    if filename is None and not isinstance(source, bytes):
        filename = os.fspath(source)
    data = _load(source, opts.max_bytes)
    kind = sniff(data, filename)
    if kind == "pdf":
        return _read_pdf(data, opts)
    if kind == "html":
        lines = [(line, 100.0) for line in html_text(data).splitlines()]
        return fields_from_lines(lines, "html_text")
    image = load_image(data, opts.max_pixels)
    rereader = new_rereader(opts.languages, opts.ocr_timeout)
    lines = ocr_image(image, opts.languages, opts.ocr_timeout, rereader)
    return fields_from_lines(lines, "ocr", reread=rereader)
