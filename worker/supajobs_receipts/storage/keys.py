"""Store keys: relative POSIX paths that can never point outside the store."""

from __future__ import annotations

import unicodedata

from supajobs_receipts.storage.errors import UnsafePathError

MAX_KEY_BYTES = 1024  # Supabase Storage's object-name limit; also sane for local paths
MAX_COMPONENT_BYTES = 255  # NAME_MAX on Linux/ext4 and most file systems


def validate_key(path: str, *, allow_empty: bool = False) -> str:
    """Return `path` if it is a safe key, else raise `UnsafePathError` saying why."""
    if path == "" and allow_empty:
        return path
    if not path:
        raise UnsafePathError(path, "empty")
    if unicodedata.normalize("NFC", path) != path:
        raise UnsafePathError(path, "not NFC-normalised")
    if "\\" in path:
        raise UnsafePathError(path, "backslash is not a separator here")
    if path.startswith("/"):
        raise UnsafePathError(path, "absolute path")
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in path):
        raise UnsafePathError(path, "control character")
    if len(path.encode("utf-8")) > MAX_KEY_BYTES:
        raise UnsafePathError(path, f"longer than {MAX_KEY_BYTES} bytes")
    for part in path.split("/"):
        if part in ("", ".", ".."):
            raise UnsafePathError(path, f"empty, '.' or '..' segment ({part!r})")
        if len(part.encode("utf-8")) > MAX_COMPONENT_BYTES:
            raise UnsafePathError(path, f"a segment is longer than {MAX_COMPONENT_BYTES} bytes")
    return path
