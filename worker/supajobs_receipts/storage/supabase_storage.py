"""A file store in a Supabase Storage bucket, through storage3 (the supabase-py client)."""

from __future__ import annotations

import builtins
import io
from typing import Any, BinaryIO

import httpx
from storage3 import SyncStorageClient
from storage3.exceptions import StorageApiError

from supajobs_receipts.storage.base import StoredFile, blob_key, sha256_hex
from supajobs_receipts.storage.errors import StoreConflictError, StoredFileNotFoundError
from supajobs_receipts.storage.keys import validate_key
from supajobs_receipts.storage.mime import content_type_for

_PAGE = 1000
_PLACEHOLDER = ".emptyFolderPlaceholder"  # what the dashboard leaves in an empty folder


def _is_missing(exc: StorageApiError) -> bool:
    return str(exc.status) == "404" or exc.code in ("not_found", "NoSuchKey")


def _is_duplicate(exc: StorageApiError) -> bool:
    return str(exc.status) == "409" or exc.code in ("Duplicate", "KeyAlreadyExists")


class SupabaseFileStore:
    """Keys are object names in one bucket. Storage has no atomic no-clobber rename, so
    `move` checks the target first; uploads use `x-upsert: false`, which the server enforces.
    """

    def __init__(
        self,
        supabase_url: str,
        service_key: str,
        bucket: str,
        *,
        http_client: httpx.Client | None = None,
    ) -> None:
        headers = {"apikey": service_key, "Authorization": f"Bearer {service_key}"}
        client = http_client or httpx.Client(timeout=60.0, follow_redirects=True)
        storage = SyncStorageClient(
            f"{supabase_url.rstrip('/')}/storage/v1/", headers, http_client=client
        )
        self._bucket = storage.from_(bucket)

    def put(self, data: bytes, name: str) -> StoredFile:
        return self.write(blob_key(sha256_hex(data), name), data)

    def write(self, path: str, data: bytes) -> StoredFile:
        validate_key(path)
        digest = sha256_hex(data)
        options: Any = {"content-type": content_type_for(path), "upsert": "false"}
        try:
            self._bucket.upload(path, data, options)
        except StorageApiError as exc:
            if not _is_duplicate(exc):
                raise
            if sha256_hex(self.get(path)) != digest:
                raise StoreConflictError(path) from None
            return StoredFile(path, digest, len(data), created=False)
        return StoredFile(path, digest, len(data), created=True)

    def get(self, path: str) -> bytes:
        validate_key(path)
        try:
            return self._bucket.download(path)
        except StorageApiError as exc:
            if _is_missing(exc):
                raise StoredFileNotFoundError(path) from None
            raise

    def open(self, path: str) -> BinaryIO:
        return io.BytesIO(self.get(path))

    def exists(self, path: str) -> bool:
        validate_key(path)
        return self._bucket.exists(path)

    def move(self, src: str, dst: str) -> None:
        validate_key(src)
        validate_key(dst)
        if src == dst:
            return
        if self.exists(dst):
            raise StoreConflictError(dst)
        try:
            self._bucket.move(src, dst)
        except StorageApiError as exc:
            if _is_missing(exc):
                raise StoredFileNotFoundError(src) from None
            if _is_duplicate(exc):
                raise StoreConflictError(dst) from None
            raise

    def list(self, prefix: str = "") -> list[str]:
        folder = prefix.strip("/")
        if folder:
            validate_key(folder)
        return sorted(self._walk(folder))

    def _walk(self, folder: str) -> builtins.list[str]:
        keys: builtins.list[str] = []
        offset = 0
        while True:
            page = self._bucket.list(folder, {"limit": _PAGE, "offset": offset})
            for entry in page:
                if entry["name"] == _PLACEHOLDER:
                    continue
                key = f"{folder}/{entry['name']}" if folder else str(entry["name"])
                # Storage lists one level; folders come back with a null id.
                keys.extend(self._walk(key) if entry.get("id") is None else [key])
            if len(page) < _PAGE:
                return keys
            offset += _PAGE

    def delete(self, path: str) -> None:
        validate_key(path)
        removed = self._bucket.remove([path])
        if not removed:  # Storage answers 200 with an empty list for a missing object
            raise StoredFileNotFoundError(path)
