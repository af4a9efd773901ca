"""The backup repository's layout inside any `FileStore`, shared by create, restore, verify, purge.

objects/<sha[:2]>/<sha256>         each file's bytes, stored once (content-addressed)
snapshots/<YYYYMMDDTHHMMSSZ>.json  one per backup: records, history, objects, previous snapshot
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from supajobs_receipts.backup.archive_format import BackupError
from supajobs_receipts.organize.records import ReceiptRecord

SNAPSHOT_FORMAT = "supajobs-receipts-snapshot/1"
OBJECTS = "objects"
SNAPSHOTS = "snapshots"
STAMP_FORMAT = "%Y%m%dT%H%M%SZ"
_SNAPSHOT_KEY = re.compile(rf"^{SNAPSHOTS}/(\d{{8}}T\d{{6}}Z)\.json$")
_SHA256 = r"^[0-9a-f]{64}$"


class RepositoryError(BackupError):
    """A problem with one snapshot or object of a repository; `key` names it."""

    def __init__(self, key: str, reason: str) -> None:
        super().__init__(f"{key}: {reason}")
        self.key = key
        self.reason = reason


class ObjectRef(BaseModel):
    """One file a snapshot refers to: its bytes (by sha256) and where the store keeps them."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    sha256: str = Field(pattern=_SHA256)
    size: int = Field(ge=0)
    stored_path: str = Field(min_length=1)


class Snapshot(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    format: str
    created_at: datetime
    # sha256 of the previous snapshot file's bytes (None for the first): editing or removing
    # a snapshot breaks the next one's link.
    previous: str | None = Field(default=None, pattern=_SHA256)
    records: tuple[ReceiptRecord, ...]
    history: tuple[dict[str, Any], ...] = ()
    objects: tuple[ObjectRef, ...]


def object_key(sha256: str) -> str:
    return f"{OBJECTS}/{sha256[:2]}/{sha256}"


def snapshot_key(created_at: datetime) -> str:
    return f"{SNAPSHOTS}/{created_at.astimezone(UTC).strftime(STAMP_FORMAT)}.json"


def snapshot_time(key: str) -> datetime | None:
    """The creation time a snapshot key names, or None if `key` is not a snapshot's."""
    found = _SNAPSHOT_KEY.match(key)
    if found is None:
        return None
    return datetime.strptime(found.group(1), STAMP_FORMAT).replace(tzinfo=UTC)


def encode(snapshot: Snapshot) -> bytes:
    return json.dumps(snapshot.model_dump(mode="json"), ensure_ascii=False, indent=1).encode()


def decode(key: str, data: bytes) -> Snapshot:
    """Parse a snapshot file and check what it says about itself; `RepositoryError` if not."""
    try:
        snapshot = Snapshot.model_validate_json(data)
    except ValueError as exc:
        raise RepositoryError(key, f"not a snapshot ({_short(exc)})") from None
    if snapshot.format != SNAPSHOT_FORMAT:
        raise RepositoryError(key, f"unknown format {snapshot.format!r}")
    if snapshot_key(snapshot.created_at) != key:
        raise RepositoryError(key, f"created_at {snapshot.created_at.isoformat()} does not "
                                   "match the file name")
    named = {(o.sha256, o.stored_path) for o in snapshot.objects}
    for record in snapshot.records:
        if (record.sha256, record.stored_path) not in named:
            raise RepositoryError(key, f"receipt {record.id}'s file is not among its objects")
    return snapshot


def _short(exc: ValueError) -> str:
    text = str(exc).splitlines()
    return "; ".join(line.strip() for line in text[:3])
