"""Finding suspected duplicate receipts and which one would be kept (`duplicate_cleanup`).

The plan only says what looks like a duplicate of what. The caller flags the pairs for a
person to confirm; nothing is marked or removed on the plan's word alone (two coffees on
one day are two receipts).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from supajobs_receipts.dedup.perceptual import DEFAULT_THRESHOLD, hamming
from supajobs_receipts.dedup.unionfind import UnionFind
from supajobs_receipts.dedup.vendor import normalize_vendor
from supajobs_receipts.organize.records import ReceiptRecord

Reason = Literal["exact", "likely", "perceptual"]
_STRENGTH: dict[Reason, int] = {"exact": 0, "likely": 1, "perceptual": 2}


@dataclass(frozen=True)
class Duplicate:
    receipt_id: str
    kept_id: str
    reason: Reason  # the strongest evidence linking it to its group


@dataclass(frozen=True)
class DedupPlan:
    kept: tuple[str, ...]  # one per group of two or more, sorted
    duplicates: tuple[Duplicate, ...]  # sorted by receipt id

    def kept_for(self, receipt_id: str) -> str | None:
        return next((d.kept_id for d in self.duplicates if d.receipt_id == receipt_id), None)


def keep_order(record: ReceiptRecord) -> tuple[int, object, str]:
    """PDFs (the issuer's own file) before images, then earliest received, then id."""
    is_pdf = record.content_type.split(";")[0].strip().lower() == "application/pdf"
    return (0 if is_pdf else 1, record.received_at, record.id)


def _fields_agree(a: ReceiptRecord, b: ReceiptRecord) -> bool:
    """Known date and total must not contradict: similar-looking receipts from one shop's
    template are different purchases."""
    date_ok = a.date is None or b.date is None or a.date == b.date
    total_ok = a.total is None or b.total is None or a.total == b.total
    return date_ok and total_ok


class _Links:
    """The groups plus, per receipt, the strongest evidence that put it in one."""

    def __init__(self, ids: Sequence[str]) -> None:
        self.sets = UnionFind(ids)
        self.why: dict[str, Reason] = {}

    def link(self, a: str, b: str, reason: Reason) -> None:
        if a == b:
            return
        for item in (a, b):
            known = self.why.get(item)
            if known is None or _STRENGTH[reason] < _STRENGTH[known]:
                self.why[item] = reason
        self.sets.union(a, b)


def plan_duplicates(
    records: Sequence[ReceiptRecord],
    *,
    phashes: Mapping[str, str] | None = None,
    threshold: int = DEFAULT_THRESHOLD,
) -> DedupPlan:
    """Group exact (same sha256), likely (same date + total + vendor) and perceptual (close
    image hashes, no contradicting date/total) duplicates; keep one per group."""
    ids = [r.id for r in records]
    if len(set(ids)) != len(ids):
        raise ValueError("receipt ids must be unique in one dedup run")
    links = _Links(ids)
    by_sha: dict[str, str] = {}
    by_fields: dict[tuple[object, int, str], str] = {}
    for r in records:
        links.link(r.id, by_sha.setdefault(r.sha256, r.id), "exact")
        vendor = normalize_vendor(r.vendor)
        if r.date is not None and r.total is not None and vendor is not None:
            links.link(r.id, by_fields.setdefault((r.date, r.total, vendor), r.id), "likely")
    hashes = phashes or {}
    hashed = [r for r in records if r.id in hashes]
    for i, a in enumerate(hashed):
        for b in hashed[i + 1 :]:
            if _fields_agree(a, b) and hamming(hashes[a.id], hashes[b.id]) <= threshold:
                links.link(a.id, b.id, "perceptual")
    return _choose(records, links)


def _choose(records: Sequence[ReceiptRecord], links: _Links) -> DedupPlan:
    by_id = {r.id: r for r in records}
    kept: list[str] = []
    duplicates: list[Duplicate] = []
    for members in links.sets.groups():
        if len(members) < 2:
            continue
        ordered = sorted((by_id[m] for m in members), key=keep_order)
        keeper = ordered[0]
        kept.append(keeper.id)
        for dup in ordered[1:]:
            reason: Reason = "exact" if dup.sha256 == keeper.sha256 else links.why[dup.id]
            duplicates.append(Duplicate(dup.id, keeper.id, reason))
    return DedupPlan(tuple(sorted(kept)), tuple(sorted(duplicates, key=lambda d: d.receipt_id)))
