"""PDF input: the text layer via pypdf, or page images for OCR when the PDF is a scan."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

from PIL import Image
from pypdf import PageObject, PasswordType, PdfReader

from .errors import UnreadableReason, UnreadableReceipt

MIN_TEXT_CHARS = 15  # fewer characters than this and the PDF is treated as a scan
MAX_RENDER_SIDE_PX = 3500


def open_pdf(data: bytes) -> PdfReader:
    """A readable PdfReader, or UnreadableReceipt saying why not."""
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise UnreadableReceipt(UnreadableReason.ENCRYPTED_PDF, "the PDF needs a password")
        if len(reader.pages) == 0:
            raise UnreadableReceipt(UnreadableReason.CORRUPT_PDF, "the PDF has no pages")
    except UnreadableReceipt:
        raise
    except Exception as exc:  # pypdf raises many types on malformed input; all mean "corrupt"
        if "crypt" in type(exc).__name__.lower() or "cryptography" in str(exc):
            raise UnreadableReceipt(UnreadableReason.ENCRYPTED_PDF, str(exc)) from exc
        raise UnreadableReceipt(UnreadableReason.CORRUPT_PDF, f"cannot parse PDF: {exc}") from exc
    return reader


def _page_lines(page: PageObject) -> str:
    """The page's text as printed: pieces on one baseline form one line, left to right.

    pypdf's plain extraction ends a line at each text object, so a receipt's label and its
    right-aligned amount ("合計" … "¥4,096") came out as two lines."""
    pieces: list[tuple[float, float, float, str]] = []  # y, x, font size, text

    def visit(text: str, cm: list[float], tm: list[float], _font: object, size: float) -> None:
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            pieces.append((y, x, abs(size * (tm[3] or 1.0) * (cm[3] or 1.0)) or 10.0,
                           text.replace("\n", " ")))

    page.extract_text(visitor_text=visit)
    rows: list[list[tuple[float, float, float, str]]] = []
    for piece in sorted(pieces, key=lambda p: (-p[0], p[1])):
        if rows and abs(rows[-1][0][0] - piece[0]) < 0.4 * max(piece[2], 1.0):
            rows[-1].append(piece)
        else:
            rows.append([piece])
    return "\n".join(" ".join(p[3].strip() for p in sorted(row, key=lambda p: p[1]))
                     for row in rows)


def pdf_text(reader: PdfReader, max_pages: int) -> str:
    """The text layer of the first pages; empty when the PDF holds only images."""
    parts: list[str] = []
    for page in reader.pages[:max_pages]:
        try:
            parts.append(_page_lines(page) or page.extract_text() or "")
        except Exception as exc:  # a broken content stream on one page
            reason = UnreadableReason.CORRUPT_PDF
            raise UnreadableReceipt(reason, f"cannot read page text: {exc}") from exc
    return "\n".join(parts)


def has_text(text: str) -> bool:
    return sum(not ch.isspace() for ch in text) >= MIN_TEXT_CHARS


def _dpi(reader: PdfReader, page: int) -> int:
    box = reader.pages[page].mediabox
    longest_pt = max(float(box.width), float(box.height), 1.0)
    return max(72, min(300, int(MAX_RENDER_SIDE_PX * 72 / longest_pt)))


def render_pages(
    data: bytes, reader: PdfReader, max_pages: int, timeout: float
) -> list[Image.Image]:
    """Pages as grayscale images: pdftoppm (poppler) when present, else the embedded images."""
    count = min(max_pages, len(reader.pages))
    if shutil.which("pdftoppm") is None:
        return [img.image.convert("L") for page in reader.pages[:count] for img in page.images
                if img.image is not None]
    images: list[Image.Image] = []
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp, "in.pdf")
        source.write_bytes(data)
        for page in range(count):
            cmd = ["pdftoppm", "-gray", "-png", "-r", str(_dpi(reader, page)), "-f", str(page + 1),
                   "-l", str(page + 1), "-singlefile", str(source), str(Path(tmp, f"p{page}"))]
            done = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
            out = Path(tmp, f"p{page}.png")
            if done.returncode != 0 or not out.exists():
                raise UnreadableReceipt(UnreadableReason.CORRUPT_PDF,
                                        f"cannot render page {page + 1}: {done.stderr[:200]!r}")
            with Image.open(out) as rendered:
                images.append(rendered.convert("L"))
    return images
