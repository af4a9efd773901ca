"""A file store in a local directory: atomic writes, no clobbering, never leaves its root."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import BinaryIO

from supajobs_receipts.storage.base import StoredFile, blob_key, sha256_hex
from supajobs_receipts.storage.errors import (
    StoreConflictError,
    StoredFileNotFoundError,
    UnsafePathError,
)
from supajobs_receipts.storage.keys import validate_key

_TMP_PREFIX = ".tmp-"


class LocalFileStore:
    """Keys map to files under `root`; temp files (`.tmp-*`) are never listed."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root).resolve()
        self.root.mkdir(parents=True, exist_ok=True)

    def _resolve(self, key: str, *, allow_empty: bool = False) -> Path:
        validate_key(key, allow_empty=allow_empty)
        full = (self.root / key).resolve()
        # resolve() follows symlinks, so a link pointing outside the root is caught too.
        if full != self.root and self.root not in full.parents:
            raise UnsafePathError(key, "resolves outside the store root")
        return full

    def put(self, data: bytes, name: str) -> StoredFile:
        digest = sha256_hex(data)
        return self.write(blob_key(digest, name), data)

    def write(self, path: str, data: bytes) -> StoredFile:
        target = self._resolve(path)
        digest = sha256_hex(data)
        if target.exists():
            if sha256_hex(target.read_bytes()) == digest:
                return StoredFile(path, digest, len(data), created=False)
            raise StoreConflictError(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=_TMP_PREFIX, dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            # link() refuses to replace an existing file, unlike rename(): no lost writes
            # when two writers race for the same key.
            try:
                os.link(tmp, target)
            except FileExistsError:
                if sha256_hex(target.read_bytes()) == digest:
                    return StoredFile(path, digest, len(data), created=False)
                raise StoreConflictError(path) from None
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        return StoredFile(path, digest, len(data), created=True)

    def get(self, path: str) -> bytes:
        try:
            return self._file(path).read_bytes()
        except FileNotFoundError:
            raise StoredFileNotFoundError(path) from None

    def open(self, path: str) -> BinaryIO:
        return self._file(path).open("rb")

    def exists(self, path: str) -> bool:
        return self._resolve(path).is_file()

    def move(self, src: str, dst: str) -> None:
        source = self._file(src)
        target = self._resolve(dst)
        if source == target:
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)  # atomic and no-clobber; then drop the old name
        except FileExistsError:
            raise StoreConflictError(dst) from None
        os.unlink(source)
        self._prune(source.parent)

    def list(self, prefix: str = "") -> list[str]:
        base = self._resolve(prefix.rstrip("/"), allow_empty=True) if prefix else self.root
        if not base.is_dir():
            return []
        keys = [
            p.relative_to(self.root).as_posix()
            for p in base.rglob("*")
            if p.is_file() and not p.is_symlink() and not p.name.startswith(_TMP_PREFIX)
        ]
        return sorted(keys)

    def delete(self, path: str) -> None:
        target = self._file(path)
        target.unlink()
        self._prune(target.parent)

    def _file(self, path: str) -> Path:
        target = self._resolve(path)
        if not target.is_file():
            raise StoredFileNotFoundError(path)
        return target

    def _prune(self, directory: Path) -> None:
        """Remove directories left empty, up to (not including) the root."""
        while directory != self.root and self.root in directory.parents:
            try:
                directory.rmdir()
            except OSError:
                return
            directory = directory.parent
