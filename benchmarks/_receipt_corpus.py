"""The receipt set of benchmarks/receipt_reading.py: every sample of the test corpus
(tests/data/receipts/samples.json) as a text PDF and as photos under several fixed
conditions (seeded), so each run reads the same files."""

from __future__ import annotations

import importlib.util
import json
import random
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
GENERATOR = ROOT / "tests" / "data" / "receipts" / "generate.py"
# Phone and scanner conditions, each applied to every sample: (name, format, distortions).
CONDITIONS: tuple[tuple[str, str, dict[str, float]], ...] = (
    ("clean", "png", {}),
    ("phone", "jpg", {"scale": 0.9, "noise": 6.0, "quality": 75}),
    ("tilted", "png", {"rotate": 2.0, "blur": 0.6, "border": 40}),
    ("small", "jpg", {"scale": 0.75, "blur": 0.4, "quality": 80}),
)


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("receipt_corpus", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build(out: Path, seed: int = 16) -> tuple[list[Path], list[Path]]:
    """Write the set under out/images and out/pdfs; (images, pdfs), each sorted."""
    gen = _generator()
    rng = random.Random(seed)
    samples = json.loads(gen.SAMPLES.read_text(encoding="utf-8"))
    images, pdfs = out / "images", out / "pdfs"
    images.mkdir(parents=True, exist_ok=True)
    pdfs.mkdir(parents=True, exist_ok=True)
    for sample in samples:
        (pdfs / f"{sample['name']}.pdf").write_bytes(gen.render_pdf(sample["lines"]))
        for condition, fmt, ops in CONDITIONS:
            spec = {"kind": fmt, "ops": ops}
            ext, data = gen.render(sample, spec, seed=rng.randint(0, 9999))
            (images / f"{sample['name']}.{condition}.{ext}").write_bytes(data)
    return sorted(images.iterdir()), sorted(pdfs.iterdir())
