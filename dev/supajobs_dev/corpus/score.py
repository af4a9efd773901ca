"""Scoring reader outcomes against the corpus truth: per field, per kind, per tag, flags.

A field is right when: date, total, tax equal (untaxed receipts expect tax 0, never None);
invoice_number equal, None == None included; vendor's key (truth.vendor_key) one of the
accepted strings' keys. An UnreadableReceipt gets every field wrong and counts as flagged,
as does a ReceiptFields with needs_review.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from supajobs_receipts.reading import ReceiptFields, UnreadableReceipt
from supajobs_receipts.reading.model import FIELD_NAMES

from .truth import KINDS, vendor_key

Outcome = ReceiptFields | UnreadableReceipt
FIELDS: tuple[str, ...] = FIELD_NAMES


def load_truth(path: Path) -> dict[str, Any]:
    truth: dict[str, Any] = json.loads(path.with_name(path.name + ".json").read_text("utf-8"))
    return truth


def got_value(field: str, got: ReceiptFields) -> Any:
    value = getattr(got, field)
    return value.isoformat() if field == "date" and value is not None else value


def field_right(field: str, got: ReceiptFields, truth: dict[str, Any]) -> bool:
    if field == "vendor":
        accepted = {vendor_key(v) for v in truth["vendor"]}
        return got.vendor is not None and vendor_key(got.vendor) in accepted
    return bool(got_value(field, got) == truth[field])


@dataclass(frozen=True)
class FileScore:
    path: str
    kind: str
    tags: tuple[str, ...]
    right: dict[str, bool]
    flagged: bool
    got: dict[str, Any]
    want: dict[str, Any]
    confidence: dict[str, float]

    @property
    def all_right(self) -> bool:
        return all(self.right.values())


def score_file(path: Path, outcome: Outcome, truth: dict[str, Any] | None = None) -> FileScore:
    truth = truth if truth is not None else load_truth(path)
    want = {field: truth[field] for field in FIELDS}
    tags = (str(truth.get("class", "")), *truth["tags"])
    if isinstance(outcome, UnreadableReceipt):
        got: dict[str, Any] = {"unreadable": str(outcome)}
        return FileScore(path.name, truth["kind"], tags, dict.fromkeys(FIELDS, False), True,
                         got, want, {})
    right = {field: field_right(field, outcome, truth) for field in FIELDS}
    return FileScore(path.name, truth["kind"], tags, right, outcome.needs_review,
                     {field: got_value(field, outcome) for field in FIELDS}, want,
                     {k: round(v, 2) for k, v in outcome.confidence.items()})


def _share(hits: int, n: int, empty: float = 1.0) -> float:
    return hits / n if n else empty


@dataclass(frozen=True)
class Scores:
    files: tuple[FileScore, ...]

    def field_accuracy(self, kind: str | None = None, field: str | None = None) -> float:
        chosen = [f for f in self.files if kind is None or f.kind == kind]
        fields = FIELDS if field is None else (field,)
        hits = sum(f.right[name] for f in chosen for name in fields)
        return _share(hits, len(chosen) * len(fields), 0.0)

    def tag_accuracy(self, tag: str) -> tuple[int, float]:
        chosen = Scores(tuple(f for f in self.files if tag in f.tags))
        return len(chosen.files), chosen.field_accuracy()

    @property
    def fully_right(self) -> float:
        return _share(sum(f.all_right for f in self.files), len(self.files), 0.0)

    @property
    def flagged_share(self) -> float:
        return _share(sum(f.flagged for f in self.files), len(self.files), 0.0)

    @property
    def unflagged_fully_right(self) -> float:
        calm = [f for f in self.files if not f.flagged]
        return _share(sum(f.all_right for f in calm), len(calm))

    @property
    def flag_precision(self) -> float:
        """Flagged receipts that really had a wrong field, of all flagged (1.0 when none)."""
        flagged = [f for f in self.files if f.flagged]
        return _share(sum(not f.all_right for f in flagged), len(flagged))

    @property
    def flag_recall(self) -> float:
        """Wrong receipts that were flagged, of all wrong ones (1.0 when none is wrong)."""
        wrong = [f for f in self.files if not f.all_right]
        return _share(sum(f.flagged for f in wrong), len(wrong))

    def tags(self) -> list[str]:
        return sorted({t for f in self.files for t in f.tags if t})

    def summary(self) -> dict[str, Any]:
        """Every metric, for the JSON result file."""
        return {
            "receipts": len(self.files), "field_accuracy": self.field_accuracy(),
            "by_kind": {k: {"n": sum(f.kind == k for f in self.files),
                            "field_accuracy": self.field_accuracy(kind=k)} for k in KINDS},
            "by_field": {name: self.field_accuracy(field=name) for name in FIELDS},
            "fully_right": self.fully_right, "flagged": self.flagged_share,
            "unflagged_fully_right": self.unflagged_fully_right,
            "flag_precision": self.flag_precision, "flag_recall": self.flag_recall,
            "by_tag": {t: dict(zip(("n", "field_accuracy"), self.tag_accuracy(t), strict=True))
                       for t in self.tags()},
        }


def score(results: Iterable[tuple[Path, Outcome]]) -> Scores:
    return Scores(tuple(score_file(path, outcome) for path, outcome in results))


def misses(scores: Scores) -> list[dict[str, Any]]:
    """One row per wrong field: file, field, got, want, confidence, needs_review."""
    return [{"file": f.path, "field": name, "got": f.got.get(name, f.got.get("unreadable")),
             "want": f.want[name], "confidence": f.confidence.get(name), "needs_review": f.flagged}
            for f in scores.files for name in FIELDS if not f.right[name]]
