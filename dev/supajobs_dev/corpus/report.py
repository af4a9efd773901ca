"""Markdown tables of Scores, parts side by side (the held-out column is the one that counts)."""

from __future__ import annotations

from typing import Any

from .score import FIELDS, Scores, misses
from .truth import KINDS


def _row(name: str, values: list[str]) -> str:
    return f"| {name} | " + " | ".join(values) + " |"


def table(parts: dict[str, Scores]) -> str:
    names = list(parts)
    out = [_row("metric", names), "|---|" + "---|" * len(names)]

    def add(name: str, get: Any) -> None:
        out.append(_row(name, [get(s) for s in parts.values()]))

    add("receipts", lambda s: str(len(s.files)))
    add("field accuracy", lambda s: f"{s.field_accuracy():.3f}")
    for kind in KINDS:
        add(f"  {kind} (n)", lambda s, k=kind: f"{s.field_accuracy(kind=k):.3f} "
            f"({sum(f.kind == k for f in s.files)})")
    for field in FIELDS:
        add(f"  {field}", lambda s, f=field: f"{s.field_accuracy(field=f):.3f}")
    add("receipts fully right", lambda s: f"{s.fully_right:.3f}")
    add("flagged (needs_review)", lambda s: f"{s.flagged_share:.3f}")
    add("unflagged fully right", lambda s: f"{s.unflagged_fully_right:.3f}")
    add("flag precision", lambda s: f"{s.flag_precision:.3f}")
    add("flag recall", lambda s: f"{s.flag_recall:.3f}")
    return "\n".join(out)


def tag_table(parts: dict[str, Scores]) -> str:
    names = list(parts)
    out = [_row("tag: field accuracy (n)", names), "|---|" + "---|" * len(names)]
    tags = sorted({t for s in parts.values() for t in s.tags()})
    for tag in tags:
        cells = []
        for scores in parts.values():
            n, acc = scores.tag_accuracy(tag)
            cells.append(f"{acc:.3f} ({n})" if n else "")
        out.append(_row(tag, cells))
    return "\n".join(out)


def miss_table(scores: Scores) -> str:
    out = ["| file | field | got | want | confidence | needs_review |", "|---|---|---|---|---|---|"]
    for m in misses(scores):
        out.append(f"| {m['file']} | {m['field']} | {m['got']!r} | {m['want']!r} | "
                   f"{m['confidence']} | {m['needs_review']} |")
    return "\n".join(out)
