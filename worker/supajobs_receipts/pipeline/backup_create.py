"""backup_create: every receipt record and file into a verified .tar.gz; keep the newest N.

The backup is recorded in receipts.backups, and duplicate_cleanup trusts only backups it
can verify in the backup directory before deleting a duplicate's file.
"""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from supajobs_receipts.backup import create_backup
from supajobs_receipts.pipeline.context import Pipeline
from supajobs_worker.registry import JobContext


class BackupPayload(BaseModel):
    model_config = ConfigDict(extra="forbid")
    keep: int | None = Field(default=None, ge=1, le=1000)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


async def backup_create(pipe: Pipeline, payload: BackupPayload, ctx: JobContext
                        ) -> dict[str, Any]:
    # One list_receipts call is one snapshot of the table; files deleted as duplicates
    # are no longer in the store and are left out.
    rows = [r for r in await pipe.api.list_receipts(include_duplicates=True) if not r.file_deleted]
    records = [r.record() for r in rows]
    keep = payload.keep or pipe.settings.backup_keep
    made = await asyncio.to_thread(create_backup, records, pipe.store, pipe.settings.backup_dir,
                                   keep=keep)
    path = made.path.resolve()
    sha = await asyncio.to_thread(file_sha256, path)
    size = path.stat().st_size
    await pipe.api.record_backup(path=str(path), sha256=sha, members=len(made.manifest.members),
                                 size=size, file_hashes=sorted({r.sha256 for r in records}))
    return {"path": str(path), "sha256": sha, "bytes": size, "receipts": len(records),
            "members": len(made.manifest.members), "removed": [str(p) for p in made.removed]}
