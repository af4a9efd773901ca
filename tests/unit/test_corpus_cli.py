"""`python -m supajobs_dev.corpus`: bad arguments are refused with a message, nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from supajobs_dev.corpus.__main__ import main


@pytest.mark.parametrize("count", ["0", "-3", "ten"])
def test_a_count_below_one_is_refused(count: str, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([str(tmp_path / "out"), "--count", count])
    assert exit_info.value.code == 2
    assert "at least 1" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_a_file_in_place_of_the_folder_is_refused(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "taken"
    target.write_text("mine")
    with pytest.raises(SystemExit):
        main([str(target), "--count", "1"])
    assert "is a file" in capsys.readouterr().err
    assert target.read_text() == "mine"


def test_writes_receipts_with_their_truth(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                          ) -> None:
    assert main([str(tmp_path), "--part", "heldout", "--count", "2"]) == 0
    receipts = sorted(p for p in tmp_path.iterdir() if not p.name.endswith(".json"))
    assert len(receipts) == 2
    truth = json.loads(receipts[0].with_name(receipts[0].name + ".json").read_text())
    assert {"date", "total", "tax", "vendor", "invoice_number"} <= set(truth)
    assert "wrote 2 receipts of part heldout" in capsys.readouterr().out
