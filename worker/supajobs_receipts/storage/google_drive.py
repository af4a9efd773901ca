"""A file store in a Google Drive folder (scope drive.file: only what this app created).

Keys map to folders under the root folder (`2024/06/x.pdf` is the file `x.pdf` in `06` in
`2024`). Every file carries its sha256 in appProperties, so an upload whose answer was
lost (a timeout) is found again instead of being made twice, and `write` can tell "same
bytes" (nothing to do) from "different bytes" (StoreConflictError) without downloading.
`delete` moves to Drive's trash, never deletes for good: receipts are legal evidence, and
the trash keeps them recoverable for 30 days whatever went wrong (docs/google.md).
"""

from __future__ import annotations

import builtins
import io
import logging
from typing import Any, BinaryIO

from supajobs_receipts.credentials import TokenSource
from supajobs_receipts.google_api import GoogleApiError, GoogleHttp
from supajobs_receipts.storage.base import StoredFile, blob_key, sha256_hex
from supajobs_receipts.storage.errors import StoreConflictError, StoredFileNotFoundError
from supajobs_receipts.storage.google_drive_api import FOLDER, DriveApi
from supajobs_receipts.storage.google_drive_folders import FolderTree
from supajobs_receipts.storage.google_drive_upload import THRESHOLD, upload
from supajobs_receipts.storage.keys import validate_key
from supajobs_receipts.storage.mime import content_type_for

log = logging.getLogger(__name__)
UPLOAD_ATTEMPTS = 3


class GoogleDriveFileStore:
    def __init__(self, tokens: TokenSource, root_folder_id: str, *,
                 http: GoogleHttp | None = None, resumable_above: int = THRESHOLD) -> None:
        self.http = http or GoogleHttp("drive", tokens)
        self.api = DriveApi(self.http)
        self.folders = FolderTree(self.api, root_folder_id)
        self.resumable_above = resumable_above

    def put(self, data: bytes, name: str) -> StoredFile:
        return self.write(blob_key(sha256_hex(data), name), data)

    def write(self, path: str, data: bytes) -> StoredFile:
        validate_key(path)
        folder_path, name = _split(path)
        digest = sha256_hex(data)
        folder = self.folders.ensure(folder_path)
        existing = self.api.named(folder, name, folder=False)
        if existing:
            return self._same(path, existing[0], digest, len(data))
        metadata = {"name": name, "parents": [folder], "appProperties": {"sha256": digest},
                    "mimeType": content_type_for(path)}
        for attempt in range(1, UPLOAD_ATTEMPTS + 1):
            try:
                upload(self.http, metadata, data, content_type_for(path),
                       threshold=self.resumable_above)
                return StoredFile(path, digest, len(data), created=True)
            except GoogleApiError as exc:
                if not exc.retryable:
                    raise
                # The answer was lost or refused: did the upload happen anyway?
                if any(f["name"] == name for f in self.api.with_hash(folder, digest)):
                    return StoredFile(path, digest, len(data), created=True)
                if attempt == UPLOAD_ATTEMPTS:
                    raise
                log.info("drive upload of %s failed (%s); trying again", path, exc)
        raise AssertionError("unreachable")

    def _same(self, path: str, found: dict[str, Any], digest: str, size: int) -> StoredFile:
        theirs = (found.get("appProperties") or {}).get("sha256") or found.get("sha256Checksum")
        if theirs != digest:
            raise StoreConflictError(path)
        return StoredFile(path, digest, size, created=False)

    def get(self, path: str) -> bytes:
        return self.api.download(self._file(path)["id"])

    def open(self, path: str) -> BinaryIO:
        return io.BytesIO(self.get(path))

    def exists(self, path: str) -> bool:
        validate_key(path)
        return self._lookup(path) is not None

    def move(self, src: str, dst: str) -> None:
        validate_key(src)
        validate_key(dst)
        if src == dst:
            return
        source = self._file(src)
        if self._lookup(dst) is not None:
            raise StoreConflictError(dst)
        src_folder = self.folders.ensure(_split(src)[0])
        dst_folder = self.folders.ensure(_split(dst)[0])
        moved = dst_folder != src_folder
        self.api.update(source["id"], {"name": _split(dst)[1]},
                        add_parent=dst_folder if moved else None,
                        remove_parent=src_folder if moved else None)

    def list(self, prefix: str = "") -> builtins.list[str]:
        folder = prefix.strip("/")
        if folder:
            validate_key(folder)
        folder_id = self.folders.find(folder)
        return sorted(self._walk(folder, folder_id)) if folder_id is not None else []

    def _walk(self, folder: str, folder_id: str) -> builtins.list[str]:
        keys: builtins.list[str] = []
        for entry in self.api.children(folder_id):
            key = f"{folder}/{entry['name']}" if folder else str(entry["name"])
            if not _usable(key):
                log.warning("drive: %r is not a store key (put there by hand?); not listed", key)
            elif entry.get("mimeType") == FOLDER:
                keys += self._walk(key, str(entry["id"]))
            else:
                keys.append(key)
        return keys

    def delete(self, path: str) -> None:
        """To the trash (recoverable), never a permanent delete: see the module docstring."""
        self.api.update(self._file(path)["id"], {"trashed": True})

    def _lookup(self, path: str) -> dict[str, Any] | None:
        folder_path, name = _split(path)
        folder = self.folders.find(folder_path)
        if folder is None:
            return None
        found = self.api.named(folder, name, folder=False)
        return found[0] if found else None

    def _file(self, path: str) -> dict[str, Any]:
        validate_key(path)
        found = self._lookup(path)
        if found is None:
            raise StoredFileNotFoundError(path)
        return found


def _split(path: str) -> tuple[str, str]:
    folder, _, name = path.rpartition("/")
    return folder, name


def _usable(key: str) -> bool:
    try:
        validate_key(key)
    except ValueError:
        return False
    return True
