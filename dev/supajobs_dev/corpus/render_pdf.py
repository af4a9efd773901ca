"""Text PDFs: slips of 58-90 mm or A4 documents, several fonts, sizes and alignments.

The text layer holds the lines, so the reader takes them without OCR. Amounts go flush right
or into a fixed column (tab-like), titles centred or flush left.
"""

from __future__ import annotations

import io
import random

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from .fonts import choose, printable
from .layout import parse, width_chars
from .truth import Part

_A4 = (595.0, 842.0)


def _register(name: str, path: str) -> str:
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, path))
    return name


def _column(lines: tuple[str, ...], font: str, size: float, margin: float) -> float:
    """Where a fixed amount column starts: just right of the widest item name."""
    lefts = [parse(raw).text for raw in lines if parse(raw).align == "split"]
    return margin + size + max((pdfmetrics.stringWidth(t, font, size) for t in lefts), default=0)


def _widest_right(lines: tuple[str, ...], font: str, size: float) -> float:
    rights = [parse(raw).right for raw in lines if parse(raw).align == "split"]
    return max((pdfmetrics.stringWidth(t, font, size) for t in rights), default=0.0)


def render_pdf(lines: tuple[str, ...], rng: random.Random, part: Part, *, a4: bool
               ) -> tuple[bytes, dict[str, object]]:
    """The PDF bytes and how it was drawn (font, page size), for the truth file."""
    font = _register(*choose(rng, part))
    lines = tuple(printable(line, font) for line in lines)
    widest = max(width_chars(line) for line in lines)
    if a4:
        width, margin = _A4[0], rng.uniform(50, 80)
        size = min(rng.uniform(9.5, 12.5), (width - 2 * margin) / widest)
    else:
        width, margin = rng.uniform(165, 260), rng.uniform(10, 20)
        size = min(rng.uniform(7.0, 10.5), (width - 2 * margin) / widest)
    leading = size * rng.uniform(1.3, 1.7)
    height = max(_A4[1] if a4 else 0.0, 2 * margin + 20 + leading * 1.5 * len(lines))
    column_x = _column(lines, font, size, margin)
    column = rng.random() < 0.25 and column_x < width - margin - _widest_right(lines, font, size)
    centred = rng.random() < 0.8
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=(width, height), invariant=True)
    y = height - margin - size
    for raw in lines:
        line = parse(raw)
        pdf.setFont(font, size * line.size)
        if line.align == "rule":
            pdf.line(margin, y + size * 0.3, width - margin, y + size * 0.3)
        elif line.align == "centre" and centred:
            pdf.drawCentredString(width / 2, y, line.text)
        elif line.align == "right":
            pdf.drawRightString(width - margin, y, line.text)
        elif line.align == "split":
            pdf.drawString(margin, y, line.text)
            if column:
                pdf.drawString(column_x, y, line.right)
            else:
                pdf.drawRightString(width - margin, y, line.right)
        else:
            pdf.drawString(margin, y, line.text)
        y -= leading * line.size
    pdf.showPage()
    pdf.save()
    return buf.getvalue(), {"font": font, "page": [round(width), round(height)],
                            "font_size": round(size, 1), "column": column}


def image_pdf(img: object, dpi: int = 200) -> bytes:
    """A PDF holding only a page image (no text layer), like a scanner's output."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    assert isinstance(img, Image.Image)
    buf = io.BytesIO()
    width, height = img.width * 72 / dpi, img.height * 72 / dpi
    pdf = canvas.Canvas(buf, pagesize=(width, height), invariant=True)
    pdf.drawImage(ImageReader(img.convert("RGB")), 0, 0, width, height)
    pdf.showPage()
    pdf.save()
    return buf.getvalue()
