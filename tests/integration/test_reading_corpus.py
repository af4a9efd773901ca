"""The short version of `make bench-accuracy`: 40 held-out receipts of the generated corpus
(supajobs_dev.corpus: its own vendor names, seeds and a font tuning never saw), read on
every core with the real Tesseract, scored field by field.

The floors sit a little under what this machine kind measures (docs/reading.md), so that a
real regression fails and the run stays deterministic: same Tesseract, fonts and seeds.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from supajobs_dev.corpus.build import build
from supajobs_dev.corpus.report import miss_table, table
from supajobs_dev.corpus.score import Scores, score
from supajobs_receipts.reading.parallel import read_files, usable_cores

COUNT = 40
FLOORS = {"pdf": 0.95, "image": 0.7}
UNFLAGGED_RIGHT_FLOOR = 0.9

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tesseract") is None, reason="needs tesseract-ocr"),
]


@pytest.fixture(scope="module")
def held_out(tmp_path_factory: pytest.TempPathFactory) -> Scores:
    files = build(tmp_path_factory.mktemp("heldout"), "heldout", COUNT)
    scores = score(read_files([Path(f) for f in files], usable_cores()))
    print("\n" + table({"heldout": scores}) + "\n" + miss_table(scores))
    return scores


def test_text_pdfs_and_photos_are_read_field_by_field(held_out: Scores) -> None:
    for kind, floor in FLOORS.items():
        accuracy = held_out.field_accuracy(kind=kind)
        assert accuracy >= floor, f"{kind} field accuracy {accuracy:.3f} < {floor}"


def test_receipts_not_flagged_for_review_are_right(held_out: Scores) -> None:
    assert held_out.unflagged_fully_right >= UNFLAGGED_RIGHT_FLOOR
    assert held_out.flag_recall >= 0.9  # wrong receipts are caught, not booked
