"""reading.parallel: many receipts on several processes, outcomes in input order."""

from __future__ import annotations

import os
from pathlib import Path

import psutil
import pytest

from supajobs_receipts.reading import ReceiptFields, UnreadableReason, UnreadableReceipt
from supajobs_receipts.reading.parallel import parse_jobs, read_files, usable_cores
from support.reading_files import read_or_die, reading_processes, write_receipts


def _summary(outcomes: list[tuple[Path, object]]) -> list[tuple[str, object]]:
    return [(p.name, o.model_dump() if isinstance(o, ReceiptFields) else str(o))
            for p, o in outcomes]


def test_parallel_outcomes_equal_sequential_ones_in_input_order(tmp_path: Path) -> None:
    files = write_receipts(tmp_path, pdfs=7, images=1)
    files.reverse()  # not the sorted order: the order given is the order returned
    parallel = list(read_files(files, 2))
    assert [p for p, _ in parallel] == files
    assert _summary(parallel) == _summary(list(read_files(files, 1)))
    assert all(isinstance(o, ReceiptFields) and o.total for _, o in parallel)


def test_unreadable_files_are_outcomes_in_their_place(tmp_path: Path) -> None:
    good = write_receipts(tmp_path, pdfs=3)
    empty, broken = tmp_path / "empty.pdf", tmp_path / "broken.png"
    empty.write_bytes(b"")
    broken.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    files = [good[0], empty, good[1], broken, good[2]]
    outcomes = dict(read_files(files, 2))
    assert list(outcomes) == files
    assert isinstance(outcomes[empty], UnreadableReceipt)
    assert outcomes[empty].reason is UnreadableReason.EMPTY_FILE
    assert isinstance(outcomes[broken], UnreadableReceipt)
    assert outcomes[broken].reason is UnreadableReason.CORRUPT_IMAGE
    assert all(isinstance(outcomes[p], ReceiptFields) for p in good)


def test_a_file_that_kills_its_process_is_unreadable_and_the_rest_are_read(
        tmp_path: Path) -> None:
    files = write_receipts(tmp_path, pdfs=5)
    killer = tmp_path / "die-now.pdf"
    killer.write_bytes(files[0].read_bytes())
    order = [files[0], files[1], killer, files[2], files[3], files[4]]
    outcomes = list(read_files(order, 2, read=read_or_die))
    assert [p for p, _ in outcomes] == order
    dead = dict(outcomes)[killer]
    assert isinstance(dead, UnreadableReceipt) and dead.reason is UnreadableReason.OCR_FAILED
    assert "process died" in dead.detail
    assert all(isinstance(o, ReceiptFields) for p, o in outcomes if p != killer)


def test_stopping_early_leaves_no_reading_process(tmp_path: Path) -> None:
    files = write_receipts(tmp_path, pdfs=0, images=8)
    # Other pools of this test process (a Pipeline's) may share the fork server: count ours.
    others = {p.pid for p in reading_processes(psutil.Process())}
    reading = read_files(files, 2)
    next(reading)
    ours = [p for p in reading_processes(psutil.Process()) if p.pid not in others]
    assert len(ours) == 2
    reading.close()  # what Ctrl-C (KeyboardInterrupt) in the consumer does to the generator
    assert [p for p in reading_processes(psutil.Process()) if p.pid not in others] == []


@pytest.mark.parametrize("value", ["0", "-1", "two", "1.5", "", " "])
def test_jobs_must_be_a_whole_number_of_at_least_one(value: str) -> None:
    with pytest.raises(ValueError, match="whole number of processes, at least 1"):
        parse_jobs(value)
    with pytest.raises(ValueError, match="at least 1"):
        list(read_files([], 0))


def test_jobs_accepts_whole_numbers_and_cores_are_counted() -> None:
    assert parse_jobs("3") == 3 and parse_jobs(" 12 ") == 12
    assert usable_cores() == len(os.sched_getaffinity(0))
