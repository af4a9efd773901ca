"""A thermal slip as printed: narrow paper, one font, normal or bold, grey ink.

Only the paper: photo.py then takes its picture (desk, light, angle, blur, JPEG).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from .fonts import choose, printable
from .layout import parse, width_chars
from .truth import Part


@dataclass(frozen=True)
class Ink:
    """How dark the print is on the paper: 0 black; faint thermal print is 120-170."""

    level: int
    paper: int = 250
    bold: bool = False


def render_slip(lines: tuple[str, ...], rng: random.Random, part: Part, ink: Ink
                ) -> tuple[Image.Image, dict[str, object]]:
    name, path = choose(rng, part, mincho=rng.random() < 0.15)
    lines = tuple(printable(line, name) for line in lines)
    widest = max(width_chars(line) for line in lines)
    width = rng.randint(380, 600)
    font_px = int(min(rng.uniform(20, 28), width * 0.9 / widest))
    if font_px < 17:  # too long a line for this paper: widen the paper, not a tiny font
        font_px = 17
        width = int(widest * font_px / 0.9) + 1
    margin = int(width * 0.05)
    leading = int(font_px * rng.uniform(1.35, 1.7))
    fonts: dict[float, ImageFont.FreeTypeFont] = {}
    height = 2 * margin + sum(int(leading * parse(r).size) for r in lines) + leading
    img = Image.new("L", (width, height), ink.paper)
    draw = ImageDraw.Draw(img)
    stroke = 1 if ink.bold else 0
    y = float(margin)
    for raw in lines:
        line = parse(raw)
        font = fonts.setdefault(line.size, ImageFont.truetype(path, int(font_px * line.size)))

        def text(x: float, s: str, font: ImageFont.FreeTypeFont = font, y: float = y) -> None:
            draw.text((x, y), s, font=font, fill=ink.level, stroke_width=stroke,
                      stroke_fill=ink.level)

        if line.align == "rule":
            dash = "-" * int((width - 2 * margin) / (font_px * 0.5))
            text(margin, dash)
        elif line.align == "centre":
            text((width - draw.textlength(line.text, font=font)) / 2, line.text)
        elif line.align == "right":
            text(width - margin - draw.textlength(line.text, font=font), line.text)
        elif line.align == "split":
            text(margin, line.text)
            text(width - margin - draw.textlength(line.right, font=font), line.right)
        else:
            text(margin, line.text)
        y += leading * line.size
    return img, {"font": name, "paper_px": [width, height], "font_px": font_px,
                 "bold": ink.bold, "ink": ink.level}
