"""Build the receipt test corpus from samples.json: text PDFs, image renders, scanned PDFs.

Each sample becomes one file per render plus `<file>.json` holding the expected fields, so
the corpus is generated into a temporary directory at test time and nothing binary is
committed.  Usage: `python tests/data/receipts/generate.py OUT_DIR`.
"""

from __future__ import annotations

import io
import json
import random
import sys
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageFilter
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

# The same renderer as the demo's sample receipts: one place draws a receipt.
from supajobs_dev.demo.sample_receipts import render_image, render_pdf

SAMPLES = Path(__file__).with_name("samples.json")


def distort(img: Image.Image, ops: dict[str, Any], seed: int) -> Image.Image:
    """Scanner/phone artefacts: scaling, blur, rotation, a dark desk border, noise."""
    if "scale" in ops:
        f = float(ops["scale"])
        img = img.resize((int(img.width * f), int(img.height * f)), Image.Resampling.LANCZOS)
    if "blur" in ops:
        img = img.filter(ImageFilter.GaussianBlur(float(ops["blur"])))
    if "rotate" in ops:
        img = img.rotate(float(ops["rotate"]), expand=True, fillcolor=255,
                         resample=Image.Resampling.BICUBIC)
    if "border" in ops:
        pad = int(ops["border"])
        desk = Image.new("L", (img.width + 2 * pad, img.height + 2 * pad), 90)
        desk.paste(img, (pad, pad))
        img = desk
    if "noise" in ops:
        rng = np.random.default_rng(seed)
        arr = np.asarray(img, dtype=np.float32) + rng.normal(0, float(ops["noise"]), img.size[::-1])
        img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    return img


def image_bytes(img: Image.Image, fmt: str, quality: int = 85) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="JPEG" if fmt == "jpg" else "PNG", quality=quality)
    return buf.getvalue()


def scanned_pdf(img: Image.Image) -> bytes:
    """A PDF holding only a page image (no text layer), like a scanner's output at 200 dpi."""
    buf = io.BytesIO()
    width, height = img.width * 72 / 200, img.height * 72 / 200
    pdf = canvas.Canvas(buf, pagesize=(width, height))
    pdf.drawImage(ImageReader(img.convert("RGB")), 0, 0, width, height)
    pdf.showPage()
    pdf.save()
    return buf.getvalue()


def render(sample: dict[str, Any], spec: dict[str, Any], seed: int) -> tuple[str, bytes]:
    kind, ops = spec["kind"], spec.get("ops", {})
    if kind == "pdf":
        return "pdf", render_pdf(sample["lines"])
    img = distort(render_image(sample["lines"]), ops, seed)
    if kind == "scan":
        return "pdf", scanned_pdf(img)
    return kind, image_bytes(img, kind, int(ops.get("quality", 85)))


def build_corpus(out_dir: Path) -> list[Path]:
    """Write every render of every sample into out_dir; return the receipt files."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for index, sample in enumerate(json.loads(SAMPLES.read_text(encoding="utf-8"))):
        for number, spec in enumerate(sample["renders"]):
            ext, data = render(sample, spec, seed=random.Random(index * 100 + number).randint(0, 9999))
            suffix = "scan" if spec["kind"] == "scan" else spec["kind"]
            path = out_dir / f"{sample['name']}.{suffix}.{ext}"
            path.write_bytes(data)
            expected = dict(sample["expected"], render=spec)
            path.with_name(path.name + ".json").write_text(
                json.dumps(expected, ensure_ascii=False, indent=1), encoding="utf-8"
            )
            written.append(path)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "receipts-corpus")
    for written_path in build_corpus(target):
        print(written_path)
