"""`supajobs receipts verify`: the history's chain, the current view against the latest
versions, and every stored file against the hash it was saved with."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from uuid import UUID

from supajobs_receipts.evidence.anchor import compare_with_backup
from supajobs_receipts.evidence.chain import check_chain
from supajobs_receipts.evidence.history import HistoryRow
from supajobs_receipts.storage import FileStore, StoredFileNotFoundError, sha256_hex

COMPARED = ("status", "receipt_date", "total", "tax", "tax_rate", "vendor", "invoice_number",
            "category", "needs_review", "stored_path", "duplicate_of")


@dataclass(frozen=True)
class CurrentReceipt:
    """What receipts.receipts shows for one receipt (the fields the verifier compares)."""

    id: UUID
    sha256: str
    version: int
    file_deleted: bool
    status: str
    receipt_date: dt.date | None
    total: int | None
    tax: int | None
    tax_rate: int | None
    vendor: str | None
    invoice_number: str | None
    category: str | None
    needs_review: bool
    stored_path: str
    duplicate_of: UUID | None


@dataclass
class VerifyReport:
    versions: int = 0
    receipts: int = 0
    files: int = 0
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    anchored_to: str | None = None  # the backup snapshot the history was compared with

    @property
    def ok(self) -> bool:
        return not self.problems


def _compare(current: CurrentReceipt, latest: HistoryRow | None) -> list[str]:
    rid = current.id
    if latest is None:
        return [f"receipt {rid}: has no history"]
    if current.version != latest.version:
        return [f"receipt {rid}: shows version {current.version}, history ends at "
                f"{latest.version}"]
    differing = [name for name in COMPARED if getattr(current, name) != getattr(latest, name)]
    if current.sha256 != latest.sha256:
        differing.append("sha256")
    if differing:
        return [f"receipt {rid}: differs from its version {latest.version} in "
                + ", ".join(differing)]
    return []


def _check_file(store: FileStore, receipt: CurrentReceipt, report: VerifyReport) -> None:
    if receipt.file_deleted:
        report.warnings.append(
            f"receipt {receipt.id}: its file was deleted by the duplicate clean-up of before "
            "2026-12; restore it from a backup made before then (supajobs receipts restore)")
        return
    report.files += 1
    try:
        data = store.get(receipt.stored_path)
    except StoredFileNotFoundError:
        report.problems.append(f"receipt {receipt.id}: file {receipt.stored_path!r} is missing")
        return
    if sha256_hex(data) != receipt.sha256:
        report.problems.append(f"receipt {receipt.id}: file {receipt.stored_path!r} does not "
                               f"match its sha256 {receipt.sha256} (changed or replaced)")


def verify_evidence(history: Sequence[HistoryRow], current: Sequence[CurrentReceipt],
                    store: FileStore | None,
                    backup: tuple[str, Sequence[HistoryRow]] | None = None) -> VerifyReport:
    """Everything wrong, each problem naming the row, receipt or file; `store=None` skips
    reading the files; `backup` is (snapshot name, the history it holds)."""
    report = VerifyReport(versions=len(history), receipts=len(current))
    report.problems += [str(p) for p in check_chain(history)]
    if backup is not None:
        report.anchored_to = backup[0]
        report.problems += compare_with_backup(history, backup[1], backup[0])
    latest: dict[UUID, HistoryRow] = {}
    for row in history:
        latest[row.receipt_id] = row
    for receipt in current:
        report.problems += _compare(receipt, latest.pop(receipt.id, None))
        if store is not None:
            _check_file(store, receipt, report)
    report.problems += [f"receipt {rid}: has history but is missing from receipts.receipts"
                        for rid in sorted(latest, key=str)]
    return report
