"""Checking an export against itself and against the store (and, given the period's
receipts, that none is missing): what `supajobs receipts export` runs after writing."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Collection
from pathlib import Path
from uuid import UUID

from pydantic import ValidationError

from supajobs_receipts.evidence.chain import content, link_hash
from supajobs_receipts.evidence.export_format import HISTORY, INDEX, MANIFEST, ExportManifest
from supajobs_receipts.evidence.history import HistoryRow
from supajobs_receipts.storage import FileStore, StoredFileNotFoundError, sha256_hex


def _read(path: Path) -> tuple[dict[str, bytes], list[str]]:
    try:
        with zipfile.ZipFile(path) as zf:
            return {n: zf.read(n) for n in zf.namelist()}, []
    except (zipfile.BadZipFile, OSError, KeyError) as exc:
        return {}, [f"{path.name}: not a readable zip ({exc})"]


def _members_match(members: dict[str, bytes]) -> tuple[ExportManifest | None, list[str]]:
    try:
        manifest = ExportManifest.model_validate_json(members.pop(MANIFEST, b""))
    except ValidationError:
        return None, [f"{MANIFEST}: missing or invalid"]
    listed = {m.name: m for m in manifest.members}
    problems = [f"{n}: not listed in the manifest" for n in sorted(set(members) - set(listed))]
    for name, entry in sorted(listed.items()):
        data = members.get(name)
        if data is None:
            problems.append(f"{name}: listed in the manifest but missing")
        elif sha256_hex(data) != entry.sha256 or len(data) != entry.size:
            problems.append(f"{name}: does not match its sha256 in the manifest")
    return manifest, problems


def check_export(path: Path, store: FileStore | None,
                 expected: Collection[UUID] | None = None) -> list[str]:
    """Every problem found; empty when the export is whole, matches the store and holds
    exactly the `expected` receipts."""
    members, problems = _read(path)
    if problems:
        return problems
    manifest, problems = _members_match(members)
    if manifest is None:
        return problems
    history = [HistoryRow.model_validate_json(line)
               for line in members.get(HISTORY, b"").decode().splitlines() if line]
    for row in history:
        if link_hash(row.prev_hash, content(row)) != row.hash:
            problems.append(f"{HISTORY}: version {row.version} of receipt {row.receipt_id} "
                            "does not match its hash")
    latest = {row.receipt_id: row for row in history}
    rows = list(csv.DictReader(io.StringIO(members.get(INDEX, b"").decode("utf-8-sig"))))
    seen: set[UUID] = set()
    for line in rows:
        rid = UUID(line["receipt_id"])
        seen.add(rid)
        data = members.get(line["ファイル file"])
        if data is None or sha256_hex(data) != line["sha256"]:
            problems.append(f"{INDEX}: receipt {rid}'s file does not match its sha256")
            continue
        last = latest.get(rid)
        if last is None or last.sha256 != line["sha256"]:
            problems.append(f"{INDEX}: receipt {rid} has no matching history")
        elif store is not None:
            try:
                if sha256_hex(store.get(last.stored_path)) != last.sha256:
                    problems.append(f"receipt {rid}: the store's file differs from the export")
            except StoredFileNotFoundError:
                problems.append(f"receipt {rid}: {last.stored_path!r} is not in the store")
    if manifest.receipts != len(rows):
        problems.append(f"{INDEX}: {len(rows)} rows, the manifest says {manifest.receipts}")
    if expected is not None:
        problems += [f"receipt {rid}: in the period but not in the export"
                     for rid in sorted(set(expected) - seen, key=str)]
        problems += [f"receipt {rid}: in the export but not in the period"
                     for rid in sorted(seen - set(expected), key=str)]
    return problems
