"""Human tables (times shown in a zone) or JSON for scripts."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from pydantic import BaseModel


def to_plain(data: Any) -> Any:
    if isinstance(data, BaseModel):
        return data.model_dump(mode="json")
    if isinstance(data, list | tuple):
        return [to_plain(d) for d in data]
    return data


def _cell(value: Any, zone: str | None) -> str:
    if value is None:
        return "-"
    if isinstance(value, datetime):
        shown = value.astimezone(ZoneInfo(zone)) if zone else value
        return shown.strftime("%Y-%m-%d %H:%M:%S %Z")
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, dict | list):
        text = json.dumps(value, ensure_ascii=False)
        return text if len(text) <= 40 else text[:37] + "..."
    return str(getattr(value, "value", value))


def table(rows: Sequence[dict[str, Any]], columns: list[str], zone: str | None = None) -> str:
    cells = [[_cell(row.get(c), row.get("timezone") or zone) for c in columns] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.upper().ljust(w) for c, w in zip(columns, widths, strict=True))]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in cells]
    return "\n".join(line.rstrip() for line in lines)


def emit(out: TextIO, data: Any, columns: list[str], *, as_json: bool,
         zone: str | None = None) -> None:
    if as_json:
        out.write(json.dumps(to_plain(data), ensure_ascii=False, indent=2) + "\n")
        return
    items = data if isinstance(data, list) else [data]
    rows = [dict(i) if isinstance(i, BaseModel) else i for i in items]
    out.write((table(rows, columns, zone) if rows else "(none)") + "\n")
