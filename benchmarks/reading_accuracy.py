"""Field accuracy of read_receipt on the generated corpus: tuning part and held-out part.

The held-out part (its own vendor names, branches, seeds and one font the tuning part never
uses) is the one that counts: it stands in for receipts made by someone else (issue 16).
Each part is built into a temporary directory (supajobs_dev.corpus), every file is read on
every core (the reader's pool), and the tables are printed side by side, then the held-out
part's wrong fields. Usage: .venv/bin/python benchmarks/reading_accuracy.py (or `make
bench-accuracy`). Environment: BENCH_TUNE_COUNT, BENCH_HELDOUT_COUNT (default 120 each),
BENCH_OUTPUT (default results/reading_accuracy.json). Exit 1 when the held-out part misses
a target.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from supajobs_dev.corpus.build import build
from supajobs_dev.corpus.report import miss_table, table, tag_table
from supajobs_dev.corpus.score import Scores, misses, score
from supajobs_dev.corpus.truth import Part
from supajobs_receipts.reading.parallel import read_files, usable_cores

HERE = Path(__file__).resolve().parent
DEFAULT_OUTPUT = HERE / "results" / "reading_accuracy.json"
# Held-out targets: field accuracy overall and per kind, trust in unflagged receipts, and
# how many receipts a person still has to look at.
TARGETS = {"field_accuracy": 0.97, "pdf": 0.99, "image": 0.95, "hard": 0.85,
           "unflagged_fully_right": 0.98, "flagged_at_most": 0.25}


def _count(name: str) -> int:
    text = os.environ.get(name, "120").strip()
    if not text.isdigit() or int(text) < 1:
        raise SystemExit(f"{name} must be a whole number of receipts, at least 1; got {text!r}")
    return int(text)


def failures(s: Scores) -> list[str]:
    got = {"field_accuracy": s.field_accuracy(), "unflagged_fully_right": s.unflagged_fully_right,
           **{k: s.field_accuracy(kind=k) for k in ("pdf", "image", "hard")}}
    out = [f"{name} {got[name]:.3f} < {want}" for name, want in TARGETS.items()
           if name in got and got[name] < want]
    if s.flagged_share > TARGETS["flagged_at_most"]:
        out.append(f"flagged {s.flagged_share:.3f} > {TARGETS['flagged_at_most']}")
    return out


def run(part: Part, count: int, root: Path, jobs: int) -> tuple[Scores, dict[str, float]]:
    started = time.perf_counter()
    paths = build(root / part, part, count)
    built = time.perf_counter()
    scores = score(read_files(paths, jobs))
    done = time.perf_counter()
    return scores, {"build_s": round(built - started, 1), "read_s": round(done - built, 1)}


def main() -> int:
    counts: dict[Part, int] = {"tune": _count("BENCH_TUNE_COUNT"),
                               "heldout": _count("BENCH_HELDOUT_COUNT")}
    jobs = usable_cores()
    parts: dict[str, Scores] = {}
    timing: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="reading-accuracy-") as tmp:
        for part, count in counts.items():
            if count > 0:
                parts[part], timing[part] = run(part, count, Path(tmp), jobs)
                print(f"{part}: {count} receipts, {timing[part]}", flush=True)
    print("\n" + table(parts) + "\n\n" + tag_table(parts))
    held = parts.get("heldout")
    missed = failures(held) if held else ["no held-out part"]
    if held:
        print("\nheld-out wrong fields\n" + miss_table(held))
    result: dict[str, Any] = {
        "jobs": jobs, "timing": timing, "targets": TARGETS, "missed_targets": missed,
        "parts": {name: s.summary() for name, s in parts.items()},
        "heldout_misses": misses(held) if held else [],
    }
    output = Path(os.environ.get("BENCH_OUTPUT", DEFAULT_OUTPUT))
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(result, ensure_ascii=False, indent=1, default=str) + "\n",
                      encoding="utf-8")
    print("\n" + ("held-out targets met" if not missed else "held-out targets missed: "
                  + "; ".join(missed)) + f"\nwrote {output}")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
