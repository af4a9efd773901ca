"""Perceptual hashes of receipt images: re-photographed or re-encoded copies hash alike."""

from __future__ import annotations

import io
from collections.abc import Iterable

import imagehash
from PIL import Image, UnidentifiedImageError

from supajobs_receipts.organize.records import ReceiptRecord
from supajobs_receipts.storage.base import FileStore
from supajobs_receipts.storage.errors import StoreError

DEFAULT_THRESHOLD = 6  # bits of 64; re-encodes and rescans land well below, other receipts above
_MAX_PIXELS = 60_000_000  # a decompression bomb is not a receipt


def image_phash(data: bytes) -> str | None:
    """The 64-bit pHash as 16 hex digits, or None if `data` is not a readable image."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > _MAX_PIXELS:
                return None
            return str(imagehash.phash(image.convert("L")))
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None


def hamming(a: str, b: str) -> int:
    """Differing bits between two hex hashes of the same length."""
    if len(a) != len(b):
        raise ValueError(f"hashes differ in length: {a!r} vs {b!r}")
    return (int(a, 16) ^ int(b, 16)).bit_count()


def compute_phashes(records: Iterable[ReceiptRecord], store: FileStore) -> dict[str, str]:
    """Receipt id → pHash for every image receipt whose file can be read and decoded."""
    hashes: dict[str, str] = {}
    for record in records:
        if not record.content_type.startswith("image/"):
            continue
        try:
            data = store.get(record.stored_path)
        except StoreError:
            continue  # a missing file is not a duplicate of anything; organize reports it
        digest = image_phash(data)
        if digest is not None:
            hashes[record.id] = digest
    return hashes
