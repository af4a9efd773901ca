"""`supajobs receipts match` through the real CLI: parse's output and freee's bodies in, one
result per receipt out; bad input is exit 2 with the problem named, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from supajobs.cli.main import main
from support.freee_deal_bodies import deal, deals_body, partner, partners_body


def write(path: Path, body: Any) -> str:
    path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    return str(path)


def parsed(file: str, date: str | None, total: int | None, vendor: str | None,
           **extra: Any) -> dict[str, Any]:
    return {"file": file, "date": date, "total": total, "tax": None, "vendor": vendor,
            "invoice_number": None, "confidence": {}, "needs_review": False, **extra}


@pytest.fixture
def inputs(tmp_path: Path) -> tuple[str, str, str]:
    receipts = [parsed("coffee.pdf", "2026-11-05", 980, "スターバックス 渋谷店"),
                parsed("books.pdf", "2026-11-06", 3300, "紀伊國屋書店"),
                parsed("blurred.jpg", None, None, None, error="nothing readable",
                       reason="no_text", needs_review=True),
                parsed("lunch.pdf", "2026-11-07", 1200, "松屋")]
    deals = deals_body(deal(1, "2026-11-06", 980, partner_id=5),
                       deal(2, "2026-11-06", 3300, description="キノクニヤ"),
                       deal(3, "2026-11-08", 1200), deal(4, "2026-11-08", 1200),
                       deal(5, "2026-11-06", 980, kind="income"))
    partners = partners_body(partner(5, "スターバックスコーヒージャパン株式会社"))
    return (write(tmp_path / "r.json", receipts), write(tmp_path / "d.json", deals),
            write(tmp_path / "p.json", partners))


def test_one_result_per_receipt_as_json(inputs: tuple[str, str, str],
                                         capsys: pytest.CaptureFixture[str]) -> None:
    receipts, deals, partners = inputs
    assert main(["receipts", "match", receipts, deals, "--partners", partners, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [(r["file"], r["status"], r["deal_id"]) for r in out] == [
        ("coffee.pdf", "attached", 1), ("books.pdf", "attached", 2),
        ("blurred.jpg", "no_match", None), ("lunch.pdf", "ambiguous", None)]
    assert out[3]["candidates"] == [3, 4] and out[2]["reason"] == "unreadable: nothing readable"
    assert set(out[0]) >= {"file", "deal_id", "score", "status", "candidates"}


def test_a_table_with_counts_for_people(inputs: tuple[str, str, str],
                                        capsys: pytest.CaptureFixture[str]) -> None:
    receipts, deals, partners = inputs
    assert main(["receipts", "match", receipts, deals, "--partners", partners]) == 0
    out = capsys.readouterr().out
    assert "coffee.pdf" in out and "2 attached, 1 ambiguous, 1 no_match" in out


@pytest.mark.parametrize(("receipts", "deals", "problem"), [
    ([{"file": "a.pdf", "date": "5 Nov", "total": 1}], deals_body(), r"receipts\[0\]\.date"),
    ([{"file": "a.pdf", "total": "1,200"}], deals_body(), r"receipts\[0\]\.total"),
    ([{"date": None}], deals_body(), r"receipts\[0\]\.file: missing"),
    ({"file": "a.pdf"}, deals_body(), "expected a JSON list"),
    ([], {"deals": [{"id": 1, "amount": 5}]}, r"deals\[0\]\.company_id"),
    ([], [{"id": 1}], "GET /deals"),
])
def test_bad_input_is_named_with_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                        receipts: Any, deals: Any, problem: str) -> None:
    code = main(["receipts", "match", write(tmp_path / "r.json", receipts),
                 write(tmp_path / "d.json", deals), "--json"])
    err = capsys.readouterr()
    assert code == 2 and err.out == ""
    assert pytest.importorskip("re").search(problem, err.err), err.err


def test_missing_and_non_json_files_are_named(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    assert main(["receipts", "match", str(tmp_path / "none.json"), str(tmp_path / "bad.json")]) == 2
    assert "none.json: cannot read RECEIPTS_JSON" in capsys.readouterr().err
    receipts = write(tmp_path / "r.json", [])
    assert main(["receipts", "match", receipts, str(tmp_path / "bad.json")]) == 2
    assert "DEALS_JSON is not JSON" in capsys.readouterr().err
    assert main(["receipts", "match", receipts, write(tmp_path / "d.json", deals_body()),
                 "--tolerance", "-5"]) == 2
    assert "0 or more" in capsys.readouterr().err
