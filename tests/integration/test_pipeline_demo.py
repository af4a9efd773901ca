"""`make demo` end to end: its own cluster, the listen worker, all five schedules once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from supajobs_dev.demo import pipeline_tour
from supajobs_receipts.report import parse_freee_csv

pytestmark = pytest.mark.skipif(shutil.which("tesseract") is None, reason="needs tesseract-ocr")


def test_demo_runs_every_standard_job_and_summarises(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(pipeline_tour, "WORK", tmp_path / "demo")
    assert pipeline_tour.main() == 0
    out = capsys.readouterr().out
    for job_type in ("email_scan", "receipt_process", "file_organize", "duplicate_cleanup",
                     "report_generate", "backup_create"):
        assert f"{job_type}" in out
    assert "jobs            {'succeeded': 17}" in out
    assert "suspected duplicates 1 (decide with" in out and "unreadable      1" in out
    (csv,) = (tmp_path / "demo" / "reports").glob("freee-*.csv")
    # Four text receipts always (the re-sent one is only suspected, so it is exported until a
    # person confirms it); the photographed one when OCR reads its date.
    assert len(parse_freee_csv(csv.read_bytes())) in (4, 5)
    assert len(list((tmp_path / "demo" / "backups" / "snapshots").glob("*.json"))) == 1
