"""The file store port: content-addressed puts, path-addressed everything else."""

from __future__ import annotations

import hashlib
import posixpath
from dataclasses import dataclass
from typing import BinaryIO, Protocol, runtime_checkable

from supajobs_receipts.storage.keys import validate_key

BLOB_PREFIX = "inbox"


@dataclass(frozen=True)
class StoredFile:
    """A file in a store: its key (relative POSIX path), content hash and size."""

    path: str
    sha256: str
    size: int
    created: bool  # False when identical bytes were already there (nothing written)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def blob_key(sha256: str, name: str) -> str:
    """Where `put` files new content: `inbox/<sha256>.<ext>` (ext taken from `name`)."""
    ext = posixpath.splitext(name.replace("\\", "/").rsplit("/", 1)[-1])[1].lower()
    if not ext[1:].isascii() or not ext[1:].isalnum() or len(ext) > 11:
        ext = ""
    return validate_key(f"{BLOB_PREFIX}/{sha256}{ext}")


@runtime_checkable
class FileStore(Protocol):
    """A place receipts live. Keys are relative POSIX paths checked by `validate_key`.

    Errors: `StoredFileNotFoundError` (missing key), `StoreConflictError` (a different file
    already holds the key), `UnsafePathError` (a key that could escape the store).
    """

    def put(self, data: bytes, name: str) -> StoredFile:
        """Store content once under `blob_key(sha256, name)`; no write if already there."""
        ...

    def write(self, path: str, data: bytes) -> StoredFile:
        """Write at `path`; a no-op if identical bytes are there, a conflict if different."""
        ...

    def get(self, path: str) -> bytes: ...

    def open(self, path: str) -> BinaryIO: ...

    def exists(self, path: str) -> bool: ...

    def move(self, src: str, dst: str) -> None:
        """Rename `src` to `dst`; never overwrites (conflict if `dst` exists)."""
        ...

    def list(self, prefix: str = "") -> list[str]:
        """Every file key under `prefix` (recursive), sorted."""
        ...

    def delete(self, path: str) -> None: ...


__all__ = ["BLOB_PREFIX", "FileStore", "StoredFile", "blob_key", "sha256_hex"]
