"""Write a part of the corpus: each receipt file plus `<file>.json` with its truth.

The part decides the vendor half (vendors.py), the fonts (fonts.py) and the seeds: every
receipt's random stream is seeded by "part/seed/index", so tune and heldout never share one.
Kinds come in blocks of 20 (8 pdf, 9 image, 3 hard), shuffled, so any count keeps the mix.
"""

from __future__ import annotations

import json
import random
from dataclasses import replace
from pathlib import Path

from .photo import encode, photograph, shot
from .recipes import choose_class, make
from .render_image import Ink, render_slip
from .render_pdf import image_pdf, render_pdf
from .truth import Kind, Part, Receipt

DEFAULT_SEED = 16  # issue 16
_BLOCK: tuple[Kind, ...] = ("pdf",) * 8 + ("image",) * 9 + ("hard",) * 3


def kinds(part: Part, count: int, seed: int = DEFAULT_SEED) -> list[Kind]:
    out: list[Kind] = []
    block = 0
    while len(out) < count:
        shuffled = list(_BLOCK)
        random.Random(f"kinds/{part}/{seed}/{block}").shuffle(shuffled)
        out += shuffled
        block += 1
    return out[:count]


def _rng(part: Part, seed: int, index: int, what: str) -> random.Random:
    return random.Random(f"{what}/{part}/{seed}/{index}")


def receipt(part: Part, index: int, kind: Kind, seed: int = DEFAULT_SEED) -> tuple[str, Receipt]:
    """The class name and the receipt for one index (no rendering: fast, for tests)."""
    rng = _rng(part, seed, index, "receipt")
    name = choose_class(rng, kind)
    return name, make(name, rng, part, kind)


def _ink(rng: random.Random, kind: Kind) -> Ink:
    if kind == "hard":
        faint = rng.random() < 0.6
        return Ink(rng.randint(110, 170) if faint else rng.randint(30, 100),
                   rng.randint(225, 245), rng.random() < 0.2)
    return Ink(rng.randint(0, 90), rng.randint(238, 252), rng.random() < 0.3)


def render(name: str, rec: Receipt, rng: random.Random, part: Part
           ) -> tuple[str, bytes, dict[str, object]]:
    """The file's extension, bytes, and how it was rendered."""
    if rec.kind == "pdf":
        a4 = rng.random() < {"english_invoice": 0.8, "hotel": 0.8, "ryoshusho": 0.8,
                              "electronics": 0.3}.get(name, 0.0)
        data, info = render_pdf(rec.lines, rng, part, a4=a4)
        return "pdf", data, info
    paper, info = render_slip(rec.lines, rng, part, _ink(rng, rec.kind))
    spec = shot(rng, rec.kind == "hard")
    # Low resolution, but glyphs of at least ~13 px: a phone photo of a slip, not a thumbnail.
    spec = replace(spec, scale=max(spec.scale, min(1.0, 13 / float(str(info["font_px"])))))
    img = photograph(paper, spec, rng)
    info = {**info, "shot": {k: round(v, 2) for k, v in vars(spec).items()}}
    if rec.kind == "hard" and rng.random() < 0.15:
        return "pdf", image_pdf(img), {**info, "scanned": True}
    ext = "png" if rec.kind == "image" and rng.random() < 0.25 else "jpg"
    return ext, encode(img, ext, spec.quality), info


def build(out_dir: Path, part: Part, count: int, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write `count` receipts of `part` into out_dir; return their paths in index order."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for index, kind in enumerate(kinds(part, count, seed)):
        name, rec = receipt(part, index, kind, seed)
        ext, data, info = render(name, rec, _rng(part, seed, index, "render"), part)
        path = out_dir / f"{part}-{index:04d}-{kind}-{name}.{ext}"
        path.write_bytes(data)
        truth = {**rec.truth(), "part": part, "class": name, "index": index, "seed": seed,
                 "render": info}
        path.with_name(path.name + ".json").write_text(
            json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
        written.append(path)
    return written
