"""The evidence code without a database: the chain check, periods, export names, the
verifier's comparisons and the export's refusals."""

from __future__ import annotations

import datetime as dt
import uuid
import zipfile
from pathlib import Path
from typing import Any

import pytest

from supajobs_receipts.evidence import GENESIS, HistoryRow, check_chain, content
from supajobs_receipts.evidence.chain import link_hash
from supajobs_receipts.evidence.export import ExportError, write_export
from supajobs_receipts.evidence.export_check import check_export
from supajobs_receipts.evidence.names import export_names
from supajobs_receipts.evidence.period import Period, in_period
from supajobs_receipts.evidence.verify import CurrentReceipt, verify_evidence
from supajobs_receipts.storage import LocalFileStore

AT = dt.datetime(2026, 11, 3, 1, 2, 3, 456789, tzinfo=dt.UTC)


def chain(*fields: dict[str, Any]) -> list[HistoryRow]:
    """Rows linked the way the SQL trigger links them."""
    rows, prev, versions = [], GENESIS, {}  # type: ignore[var-annotated]
    for seq, extra in enumerate(fields, 1):
        rid = extra.pop("receipt_id", uuid.UUID(int=1))
        versions[rid] = versions.get(rid, 0) + 1
        base = {"seq": seq, "receipt_id": rid, "version": versions[rid], "sha256": "a" * 64,
                "original_name": "r.pdf", "content_type": "application/pdf", "source": "mail",
                "received_at": AT, "status": "read", "needs_review": False,
                "stored_path": "inbox/a.pdf", "changed_by": "system:x", "changed_at": AT,
                "change_reason": "why", "prev_hash": prev, "hash": "0" * 64, **extra}
        draft = HistoryRow.model_validate(base)
        row = draft.model_copy(update={"hash": link_hash(prev, content(draft))})
        rows.append(row)
        prev = row.hash
    return rows


def test_content_is_the_sql_text_form() -> None:
    (row,) = chain({"vendor": 'カフェ "駅前"\n', "receipt_date": dt.date(2026, 11, 3),
                    "review_reasons": ["a", "b"], "total": 480})
    text = content(row)
    assert text.startswith('[1, "00000000-0000-0000-0000-000000000001", 1, "aaaa')
    assert '"カフェ \\"駅前\\"\\n"' in text and '["a", "b"]' in text
    assert '"2026-11-03T01:02:03.456789Z"' in text and '"2026-11-03"' in text


def test_a_whole_chain_passes_and_each_break_is_named_once() -> None:
    rows = chain({}, {"total": 1}, {"total": 2}, {"total": 3})
    assert check_chain(rows) == []
    edited = [rows[0], rows[1].model_copy(update={"total": 999}), rows[2], rows[3]]
    assert [(p.seq, "hash" in p.problem) for p in check_chain(edited)] == [(2, True)]
    gap = check_chain([rows[0], rows[2], rows[3]])
    assert {p.seq for p in gap} == {3} and any("missing" in p.problem for p in gap)
    assert any("version 3 follows version 1" in str(p) for p in gap)


def current(row: HistoryRow, **changes: Any) -> CurrentReceipt:
    values = {k: getattr(row, k) for k in CurrentReceipt.__dataclass_fields__
              if hasattr(row, k)}
    values.update({"id": row.receipt_id, "file_deleted": False, **changes})
    return CurrentReceipt(**values)


def test_verify_compares_the_current_view_and_the_files(tmp_path: Path) -> None:
    store = LocalFileStore(tmp_path)
    stored = store.put(b"%PDF one", "one.pdf")
    (row,) = chain({"sha256": stored.sha256, "stored_path": stored.path})
    assert verify_evidence([row], [current(row)], store).ok
    report = verify_evidence([row], [current(row, total=5)], store)
    assert report.problems == [f"receipt {row.receipt_id}: differs from its version 1 in total"]
    stale = verify_evidence([row], [current(row, version=2)], None)
    assert "history ends at 1" in stale.problems[0] and stale.files == 0
    orphan = verify_evidence([row], [], store)
    assert "missing from receipts.receipts" in orphan.problems[0]
    old = verify_evidence([row], [current(row, file_deleted=True)], store)
    assert old.ok and "before 2026-12" in old.warnings[0]
    (tmp_path / stored.path).write_bytes(b"%PDF forged")
    assert "does not match its sha256" in verify_evidence([row], [current(row)], store).problems[0]


def test_periods_take_undated_receipts_by_arrival_in_japan_time() -> None:
    late = dt.datetime(2026, 10, 31, 16, 0, tzinfo=dt.UTC)  # 1 November in Tokyo
    rows = chain({"receipt_id": uuid.UUID(int=1), "receipt_date": dt.date(2026, 11, 30)},
                 {"receipt_id": uuid.UUID(int=2), "received_at": late},
                 {"receipt_id": uuid.UUID(int=3), "receipt_date": dt.date(2026, 12, 1)})
    chosen = in_period(rows, Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30)))
    assert [r[-1].receipt_id.int for r in chosen] == [1, 2]
    with pytest.raises(ValueError, match="starts 2026-12-01 after it ends"):
        Period(dt.date(2026, 12, 1), dt.date(2026, 11, 1))


def test_export_names_follow_the_nta_example_and_never_collide() -> None:
    rows = chain({"receipt_date": dt.date(2022, 10, 31), "vendor": "㈱国税商事", "total": 110000},
                 {"receipt_date": dt.date(2022, 10, 31), "vendor": "㈱国税商事", "total": 110000},
                 {"vendor": None, "total": None, "content_type": "image/jpeg"})
    assert export_names(rows) == ["20221031_(株)国税商事_110000.pdf",
                                  "20221031_(株)国税商事_110000_2.pdf", "日付不明_取引先不明_金額不明.jpg"]


def test_export_refuses_missing_or_changed_files_and_writes_nothing(tmp_path: Path) -> None:
    store = LocalFileStore(tmp_path / "store")
    good = store.put(b"%PDF good", "g.pdf")
    rows = chain({"sha256": good.sha256, "stored_path": good.path,
                  "receipt_date": dt.date(2026, 11, 3)})
    period = Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    missing = [rows[0].model_copy(update={"stored_path": "inbox/gone.pdf"})]
    with pytest.raises(ExportError, match="missing from the store"):
        write_export([missing], store, period, tmp_path / "a.zip")
    store.write("inbox/other.pdf", b"%PDF other")
    changed = [rows[0].model_copy(update={"stored_path": "inbox/other.pdf"})]
    with pytest.raises(ExportError, match="does not match its sha256"):
        write_export([changed], store, period, tmp_path / "a.zip")
    assert not (tmp_path / "a.zip").exists() and not list(tmp_path.glob(".tmp-*"))
    write_export([rows], store, period, tmp_path / "a.zip")
    assert check_export(tmp_path / "a.zip", store, {rows[0].receipt_id}) == []
    assert "in the period but not in the export" in check_export(
        tmp_path / "a.zip", store, {rows[0].receipt_id, uuid.UUID(int=9)})[0]


def test_check_export_names_a_broken_zip(tmp_path: Path) -> None:
    (tmp_path / "x.zip").write_bytes(b"not a zip")
    assert "not a readable zip" in check_export(tmp_path / "x.zip", None)[0]
    with zipfile.ZipFile(tmp_path / "y.zip", "w") as zf:
        zf.writestr("index.csv", "")
    assert check_export(tmp_path / "y.zip", None) == ["manifest.json: missing or invalid"]
