"""The SDK and the worker engine never name the receipt app's job types (import-linter checks
the imports; this checks the strings, dashboard assets included)."""

from __future__ import annotations

from pathlib import Path

from supajobs_receipts.job_types import ReceiptJobType

ROOT = Path(__file__).resolve().parents[2]
ENGINE = [ROOT / "sdk" / "supajobs", ROOT / "worker" / "supajobs_worker"]


def engine_files() -> list[Path]:
    return [p for top in ENGINE for p in top.rglob("*")
            if p.is_file() and p.suffix in {".py", ".js", ".html", ".css"}
            and "supabase_project" not in p.parts]


def test_no_engine_file_names_a_receipt_job_type() -> None:
    files = engine_files()
    assert len(files) > 50  # the scan looks where the code is
    offenders = sorted(f"{p.relative_to(ROOT)}: {t}" for p in files
                       for t in map(str, ReceiptJobType) if t in p.read_text())
    assert offenders == []
