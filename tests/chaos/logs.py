"""A digest of the processes' logs after a run: what each component complained about.

Workers log JSON lines (supajobs_worker.observability); the relay logs plain text.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

LEVEL = re.compile(r"\b(WARNING|ERROR|CRITICAL|Traceback)\b")
NUMBERS = re.compile(r"\d+")  # job ids, ports, addresses: group messages that differ only there
COMPLAINTS = ("warning", "error", "critical")


def _complaint(line: str) -> str | None:
    if line.startswith("{"):
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            return None
        if str(record.get("level", "")).lower() in COMPLAINTS:
            return f"{record['level']} {record.get('logger')}: {record.get('message', '')}"
        return None
    match = LEVEL.search(line)
    return line[match.start():] if match else None


def digest(logs: Path, max_kinds: int = 8) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for path in sorted(logs.glob("*.log")):
        kinds: Counter[str] = Counter()
        for line in path.read_text(errors="replace").splitlines():
            complaint = _complaint(line)
            if complaint:
                kinds[NUMBERS.sub("N", complaint.splitlines()[0])[:140]] += 1
        if kinds:
            out[path.stem] = dict(kinds.most_common(max_kinds))
    return out
