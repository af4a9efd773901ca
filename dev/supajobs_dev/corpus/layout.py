"""Parsing the line markup of truth.py, shared by the PDF and the image renderer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Align = Literal["left", "centre", "right", "split", "rule"]


@dataclass(frozen=True)
class Line:
    align: Align
    text: str
    right: str = ""
    size: float = 1.0   # relative to the body font


def parse(raw: str) -> Line:
    if raw == "---":
        return Line("rule", "")
    if raw.startswith("^^"):
        return Line("centre", raw[2:], size=1.5)
    if raw.startswith("^"):
        return Line("centre", raw[1:], size=1.2)
    if raw.startswith(">"):
        return Line("right", raw[1:])
    if "|" in raw:
        left, right = raw.split("|", 1)
        return Line("split", left, right)
    return Line("left", raw)


def width_chars(raw: str) -> float:
    """How wide a line is in full-width characters (half-width ones count a half)."""
    line = parse(raw)
    text = line.text + ("  " + line.right if line.right else "")
    return line.size * sum(1.0 if ord(ch) > 0x2E7F else 0.55 for ch in text)
