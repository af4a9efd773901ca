"""Japanese fonts found on this machine, and which ones each part may use.

The held-out part has fonts the tuning part never uses (IPA P Gothic, VL P Gothic, Motoya
L Cedar), so a reader tuned on one font's glyph shapes is caught out. A missing font is
skipped; with none of a part's fonts installed, any installed one is used.
"""

from __future__ import annotations

import random
from functools import cache
from pathlib import Path

from .truth import Part

_CANDIDATES: dict[str, str] = {
    "IPAGothic": "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf",
    "IPAPGothic": "/usr/share/fonts/opentype/ipafont-gothic/ipagp.ttf",
    "IPAMincho": "/usr/share/fonts/opentype/ipafont-mincho/ipam.ttf",
    "IPAexGothic": "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
    "VLGothic": "/usr/share/fonts/truetype/vlgothic/VL-Gothic-Regular.ttf",
    "VLPGothic": "/usr/share/fonts/truetype/vlgothic/VL-PGothic-Regular.ttf",
    "MotoyaLCedar": "/usr/share/fonts/truetype/motoya-l-cedar/MTLc3m.ttf",
}
_USE: dict[Part, tuple[str, ...]] = {
    "tune": ("IPAGothic", "IPAMincho", "IPAexGothic", "VLGothic"),
    "heldout": ("IPAPGothic", "IPAMincho", "IPAexGothic", "VLPGothic", "MotoyaLCedar"),
}


@cache
def installed() -> dict[str, str]:
    found = {name: path for name, path in _CANDIDATES.items() if Path(path).exists()}
    if not found:
        raise FileNotFoundError("no Japanese font: install the Debian package fonts-ipafont-gothic")
    return found


def fonts_for(part: Part) -> tuple[str, ...]:
    have = installed()
    usable = tuple(name for name in _USE[part] if name in have)
    return usable or tuple(have)


@cache
def _glyphs(name: str) -> frozenset[int]:
    from reportlab.pdfbase.ttfonts import TTFont

    return frozenset(TTFont(name, installed()[name]).face.charToGlyph)


# What a shop's printer prints when its font lacks a character (Motoya L Cedar has no ¥).
_STAND_INS = {"¥": "\uffe5", "☎": "TEL"}


def printable(text: str, name: str) -> str:
    """The text with the characters the font lacks replaced by their usual stand-ins."""
    glyphs = _glyphs(name)
    return "".join(ch if ord(ch) in glyphs or ch.isspace() else _STAND_INS.get(ch, ch)
                   for ch in text)


def choose(rng: random.Random, part: Part, *, mincho: bool = True) -> tuple[str, str]:
    """A font (name, path) for one receipt; Mincho only where a shop might print it."""
    names = [n for n in fonts_for(part) if mincho or "Mincho" not in n] or list(fonts_for(part))
    name = rng.choice(names)
    return name, installed()[name]
