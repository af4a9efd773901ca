"""`supajobs receipts parse --jobs N`: the JSON of a parallel run is the sequential run's,
bad --jobs values are usage errors, and Ctrl-C stops every reading process."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from supajobs.cli.main import main
from support.reading_files import reading_processes, write_receipts

KEYS = ["file", "date", "total", "tax", "vendor", "invoice_number", "confidence", "needs_review"]


def test_parallel_json_is_the_sequential_json(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in"
    write_receipts(folder, pdfs=5, images=1)
    (folder / "002-empty.pdf").write_bytes(b"")  # an unreadable one in the middle
    assert main(["receipts", "parse", str(folder), "--json", "--jobs", "1"]) == 1
    sequential = capsys.readouterr().out
    assert main(["receipts", "parse", str(folder), "--json", "--jobs", "2"]) == 1
    parallel = capsys.readouterr().out
    assert parallel == sequential
    records = json.loads(parallel)
    assert [Path(r["file"]).name for r in records] == sorted(p.name for p in folder.iterdir())
    assert all(list(r)[:8] == KEYS for r in records)
    assert [r["reason"] for r in records if "error" in r] == ["empty_file"]


@pytest.mark.parametrize("value", ["0", "-2", "many"])
def test_bad_jobs_is_a_usage_error_that_names_it(
        value: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["receipts", "parse", str(tmp_path), "--jobs", value])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "--jobs" in err and "whole number of processes, at least 1" in err and value in err


def test_a_wrong_ocr_engine_setting_is_one_clear_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    write_receipts(tmp_path, pdfs=1)
    monkeypatch.setenv("SUPAJOBS_OCR_ENGINE", "gpu")
    assert main(["receipts", "parse", str(tmp_path)]) == 2
    captured = capsys.readouterr()
    assert "SUPAJOBS_OCR_ENGINE must be api or cli" in captured.err and captured.out == ""


def test_ctrl_c_stops_the_reading_processes(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write_receipts(folder, pdfs=0, images=24)
    command = [sys.executable, "-m", "supajobs.cli.main", "receipts", "parse", str(folder),
               "--json", "--jobs", "2"]
    run = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           start_new_session=True)  # its own group, as a terminal's job is
    parent = psutil.Process(run.pid)
    deadline, readers = time.monotonic() + 60, []
    while time.monotonic() < deadline and len(readers) < 2:
        time.sleep(0.2)
        readers = reading_processes(parent)
    assert len(readers) >= 2, "the reading processes never started"
    os.killpg(run.pid, signal.SIGINT)  # Ctrl-C: the whole foreground group gets SIGINT
    out, err = run.communicate(timeout=60)
    assert run.returncode == 130
    assert "interrupted after" in err and "Traceback" not in err and out == ""
    _, alive = psutil.wait_procs(readers, timeout=10)
    assert alive == []
