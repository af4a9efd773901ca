"""Safe file names from what a sender wrote: decoded, normalised, no paths, bounded."""

from __future__ import annotations

import re
import unicodedata
from email.header import decode_header, make_header

MAX_NAME_BYTES = 180
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"|?*\\/]+')
_ENCODED_WORD = re.compile(r"=\?[^?]+\?[bBqQ]\?[^?]*\?=")


def decode_words(text: str) -> str:
    """Decode RFC 2047 words that some mailers (wrongly) put in filename parameters."""
    if not _ENCODED_WORD.search(text):
        return text
    try:
        return str(make_header(decode_header(text)))
    except (LookupError, ValueError, UnicodeError):
        return text


def safe_filename(raw: str | None, *, fallback: str, extension: str) -> str:
    """A name safe to store: NFC, last path component only, no control or reserved
    characters, no leading dots, at most MAX_NAME_BYTES, ending in `extension`."""
    name = unicodedata.normalize("NFC", decode_words(raw or ""))
    name = re.split(r"[\\/]", name)[-1]
    name = _UNSAFE.sub("_", name).strip().lstrip(".").strip()
    if not name:
        name = fallback
    stem, dot, ext = name.rpartition(".")
    if not dot or f".{ext.lower()}" not in _same_type(extension):
        stem = name
    stem = _truncate(stem.rstrip(". "), MAX_NAME_BYTES - len(extension.encode()))
    return f"{stem or fallback}{extension}"


def _same_type(extension: str) -> set[str]:
    return {".jpg", ".jpeg", ".jpe"} if extension == ".jpg" else {extension}


def _truncate(text: str, max_bytes: int) -> str:
    encoded = text.encode("utf-8")[:max_bytes]
    return encoded.decode("utf-8", errors="ignore")
