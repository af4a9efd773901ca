"""Receipts with files in a store, and old-format `.tar.gz` archives, for the backup tests.

The archive writer is the old `create_backup` format, kept here only to produce fixtures:
users upgrading still hold such archives, and `restore` must still read them.
"""

from __future__ import annotations

import gzip
import io
import json
import tarfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from supajobs_receipts.organize.records import ReceiptRecord
from supajobs_receipts.storage import FileStore, LocalFileStore, sha256_hex
from unit.organize_factory import make_receipt

BLOBS = {
    "2024/06/2024-06-20_スターバックス_1234円.pdf": b"%PDF-1.4 a" + bytes(range(256)),
    "2024/06/2024-06-21_セブン_540円.png": b"\x89PNG\r\n\x1a\n" + b"\x00" * 100,
    "unknown-date/unknown-date_不明_金額不明.jpg": b"\xff\xd8\xff jpeg",
}


def stocked_store(root: Path) -> tuple[LocalFileStore, list[ReceiptRecord]]:
    """Three files and four receipts: an exact duplicate row points at the first file."""
    store = LocalFileStore(root)
    records = []
    for n, (path, data) in enumerate(BLOBS.items(), start=1):
        store.write(path, data)
        records.append(make_receipt(n, data=data, stored_path=path))
    first = records[0]
    records.append(make_receipt(9, data=BLOBS[first.stored_path], stored_path=first.stored_path))
    return store, records


def add_receipt(store: FileStore, n: int, data: bytes | None = None) -> ReceiptRecord:
    data = data if data is not None else f"receipt {n} ".encode() * 7
    record = make_receipt(n, data=data, stored_path=f"2024/07/2024-07-{n % 28 + 1:02d}_店{n}_1円.pdf")
    store.write(record.stored_path, data)
    return record


def write_legacy_archive(records: Sequence[ReceiptRecord], store: FileStore, dest: Path,
                         when: datetime) -> Path:
    """An archive exactly as the old `create_backup` wrote it."""
    ordered = sorted(records, key=lambda r: r.id)
    members = {"receipts.json": json.dumps([r.model_dump(mode="json") for r in ordered],
                                           ensure_ascii=False, indent=1).encode()}
    for r in ordered:
        members.setdefault("files/" + r.stored_path, store.get(r.stored_path))
    manifest = {"format": "supajobs-receipts-backup/1", "created_at": when.isoformat(),
                "receipt_count": len(records),
                "members": [{"name": n, "sha256": sha256_hex(d), "size": len(d)}
                            for n, d in sorted(members.items())]}
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in [("manifest.json", json.dumps(manifest).encode()),
                           *sorted(members.items())]:
            info = tarfile.TarInfo(name)
            info.size, info.mode = len(data), 0o644
            tar.addfile(info, io.BytesIO(data))
    dest.mkdir(parents=True, exist_ok=True)
    path = dest / when.strftime("receipts-backup-%Y%m%dT%H%M%SZ.tar.gz")
    path.write_bytes(gzip.compress(out.getvalue()))
    return path
