"""backup_create: one snapshot of every receipt and its file into each backup target.

Incremental (a file's bytes are stored once per repository), verified on write, and nothing
is ever deleted here: snapshots are purged by age only (`supajobs receipts backups purge`).
Each snapshot is recorded in receipts.backups.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator

from supajobs_receipts.backup import create_snapshot
from supajobs_receipts.pipeline.backup_settings import BackupTarget
from supajobs_receipts.pipeline.context import Pipeline
from supajobs_receipts.pipeline.evidence_api import EvidenceApi
from supajobs_worker.registry import JobContext


class BackupPayload(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _no_keep(cls, data: Any) -> Any:
        # Say why, so that nobody believes an old `keep` still rotates anything.
        if isinstance(data, dict) and "keep" in data:
            raise ValueError("`keep` is gone: backups are no longer rotated; they are kept by "
                             "age (SUPAJOBS_BACKUP_RETENTION_YEARS)")
        return data


async def backup_create(pipe: Pipeline, payload: BackupPayload, ctx: JobContext
                        ) -> dict[str, Any]:
    # The history first, then the rows (each one consistent read): every row's latest version
    # is in the snapshot's history or was written after it. Rows whose file the old duplicate
    # clean-up deleted stay in where a repository still holds their bytes.
    history = [h.model_dump(mode="json")
               async for h in EvidenceApi(pipe.client).iter_history()]
    rows = await pipe.api.list_receipts(include_duplicates=True, include_deleted=True)
    records = [r.record() for r in rows]
    deleted = {str(r.id) for r in rows if r.file_deleted}
    now = datetime.now(UTC)  # one name for the snapshot in every target
    done: list[BackupTarget] = []
    targets: list[dict[str, Any]] = []
    left_out: set[str] = set()
    for target in pipe.settings.backup_targets():
        made = await asyncio.to_thread(
            create_snapshot, records, pipe.store, target.store, history=history, deleted=deleted,
            fallbacks=[t.store for t in done], now=now)
        done.append(target)
        left_out.update(made.left_out)
        path = target.uri(made.key)
        await pipe.api.record_backup(
            path=path, sha256=made.sha256, members=len(made.snapshot.objects),
            size=made.new_bytes, file_hashes=sorted({r.sha256 for r in made.snapshot.records}))
        targets.append({"target": target.name, "path": path, "sha256": made.sha256,
                        "objects_new": made.new_objects, "objects_reused": made.reused_objects,
                        "bytes_new": made.new_bytes})
    first = targets[0]
    return {"snapshot": now.strftime("%Y%m%dT%H%M%SZ"), "receipts": len(records) - len(left_out),
            "path": first["path"], "sha256": first["sha256"], "targets": targets,
            "left_out": sorted(left_out)}
