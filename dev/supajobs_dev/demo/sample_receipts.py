"""Receipt files for the demo: a text PDF (reportlab + a Japanese font) and PNG renders.

Lines starting with "^" are titles (centred); "left|right" puts an amount at the right.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

FONTS = ("/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf",
         "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf")
WIDTH_PX, FONT_PX, TITLE_PX, LINE_PX, MARGIN_PX = 720, 26, 36, 42, 40


def font_path() -> str:
    for candidate in FONTS:
        if Path(candidate).exists():
            return candidate
    raise FileNotFoundError("no Japanese font: install the Debian package fonts-ipafont-gothic")


def receipt_lines(vendor: str, day: dt.date, items: list[tuple[str, int]],
                  invoice_number: str | None = None) -> list[str]:
    """A 10 %-rate receipt: the tax is the inclusive total's 10/110, rounded down."""
    total = sum(price for _, price in items)
    lines = [f"^{vendor}", f"{day.year}年{day.month}月{day.day}日", "^領収書"]
    lines += [f"{name}|¥{price:,}" for name, price in items]
    lines += [f"合計|¥{total:,}", f"(内消費税等 10% ¥{total * 10 // 110:,})"]
    if invoice_number:
        lines.append(f"登録番号 {invoice_number}")
    return lines


def render_pdf(lines: list[str], *, producer: str = "supajobs demo") -> bytes:
    """A PDF whose text layer holds the lines (read without OCR)."""
    if "IPAGothic" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("IPAGothic", font_path()))
    buf = io.BytesIO()
    width, height = 300.0, 60.0 + 18.0 * len(lines)
    pdf = canvas.Canvas(buf, pagesize=(width, height), invariant=True)
    pdf.setProducer(producer)  # two "copies" of one receipt can differ only here
    y = height - 30
    for line in lines:
        title = line.startswith("^")
        pdf.setFont("IPAGothic", 13.0 if title else 9.0)
        text = line.lstrip("^")
        if title:
            pdf.drawCentredString(width / 2, y, text)
        elif "|" in text:
            left, right = text.split("|", 1)
            pdf.drawString(20, y, left)
            pdf.drawRightString(width - 20, y, right)
        else:
            pdf.drawString(20, y, text)
        y -= 18.0
    pdf.showPage()
    pdf.save()
    return buf.getvalue()


def render_image(lines: list[str]) -> Image.Image:
    """A clean, receipt-shaped grayscale render (white paper, black text)."""
    body = ImageFont.truetype(font_path(), FONT_PX)
    title = ImageFont.truetype(font_path(), TITLE_PX)
    img = Image.new("L", (WIDTH_PX, 2 * MARGIN_PX + LINE_PX * len(lines) + 10), 255)
    draw = ImageDraw.Draw(img)
    y = MARGIN_PX
    for line in lines:
        text = line.lstrip("^")
        if line.startswith("^"):
            w = draw.textlength(text, font=title)
            draw.text(((WIDTH_PX - w) / 2, y - 4), text, font=title, fill=0)
        elif "|" in text:
            left, right = text.split("|", 1)
            draw.text((MARGIN_PX, y), left, font=body, fill=0)
            w = draw.textlength(right, font=body)
            draw.text((WIDTH_PX - MARGIN_PX - w, y), right, font=body, fill=0)
        else:
            draw.text((MARGIN_PX, y), text, font=body, fill=0)
        y += LINE_PX
    return img


def render_png(lines: list[str]) -> bytes:
    """A clean grayscale photo-like render, read by Tesseract (jpn+eng)."""
    img = render_image(lines)
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()
