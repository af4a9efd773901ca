"""Store errors; each subclasses the matching builtin so callers may catch either."""

from __future__ import annotations


class StoreError(Exception):
    """Base class for file store failures."""


class StoredFileNotFoundError(StoreError, FileNotFoundError):
    def __init__(self, path: str) -> None:
        super().__init__(f"no file at {path!r} in the store")
        self.path = path


class StoreConflictError(StoreError, FileExistsError):
    def __init__(self, path: str, detail: str = "a different file already exists there") -> None:
        super().__init__(f"cannot write {path!r}: {detail}")
        self.path = path


class UnsafePathError(StoreError, ValueError):
    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"unsafe store path {path!r}: {reason}")
        self.path = path
        self.reason = reason
