"""File stores: a port (`FileStore`) with a local-directory and a Supabase Storage adapter."""

from supajobs_receipts.storage.base import FileStore, StoredFile, blob_key, sha256_hex
from supajobs_receipts.storage.errors import (
    StoreConflictError,
    StoredFileNotFoundError,
    StoreError,
    UnsafePathError,
)
from supajobs_receipts.storage.keys import validate_key
from supajobs_receipts.storage.local import LocalFileStore

__all__ = [
    "FileStore",
    "LocalFileStore",
    "StoreConflictError",
    "StoreError",
    "StoredFile",
    "StoredFileNotFoundError",
    "UnsafePathError",
    "blob_key",
    "sha256_hex",
    "validate_key",
]
