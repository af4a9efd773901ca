"""PDF input: the text layer via pypdf, or page images for OCR when the PDF is a scan."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

from PIL import Image
from pypdf import PasswordType, PdfReader

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


def pdf_text(reader: PdfReader, max_pages: int) -> str:
    """The text layer of the first pages; empty when the PDF holds only images."""
    parts: list[str] = []
    for page in reader.pages[:max_pages]:
        try:
            parts.append(page.extract_text() or "")
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
