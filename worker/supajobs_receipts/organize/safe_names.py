"""Turning arbitrary text into one safe path component (no separators, no traversal)."""

from __future__ import annotations

import re
import unicodedata

# Control, format (bidi overrides, zero-width), surrogate, private-use, unassigned, and
# line/paragraph separators: invisible or spoofing characters have no place in a file name.
_DROP_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
# Separators and the characters Windows, macOS Finder or shells treat specially.
_FORBIDDEN = re.compile(r'[/\\:*?"<>|]')
_SPACES = re.compile(r"\s+")
_DASHES = re.compile(r"-{2,}")
_EDGE = " .-_"
_RESERVED = re.compile(r"^(CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9])(\..*)?$", re.IGNORECASE)


def utf8_len(text: str) -> int:
    return len(text.encode("utf-8"))


def truncate_utf8(text: str, max_bytes: int) -> str:
    """The longest NFC prefix of `text` within `max_bytes`, cut on a character boundary."""
    text = unicodedata.normalize("NFC", text)
    limit = max_bytes
    while utf8_len(text) > max_bytes:
        cut = text.encode("utf-8")[:limit].decode("utf-8", errors="ignore")
        # Do not leave a base letter whose combining mark was cut off half-way.
        while cut and unicodedata.combining(cut[-1]):
            cut = cut[:-1]
        text = unicodedata.normalize("NFC", cut)
        limit -= 1  # only needed again if re-normalising made the text longer
    return text


def safe_component(text: str, *, fallback: str, max_bytes: int) -> str:
    """`text` made safe as a single file-name component, or `fallback` if nothing is left.

    NFKC folds full-width ASCII and half-width katakana (`ｽﾀﾊﾞ` → `スタバ`) so the same vendor
    always gives the same name; the result is NFC, at most `max_bytes` of UTF-8.
    """
    cleaned = unicodedata.normalize("NFKC", text)
    cleaned = "".join(c for c in cleaned if unicodedata.category(c) not in _DROP_CATEGORIES)
    cleaned = _FORBIDDEN.sub("-", cleaned)
    cleaned = _SPACES.sub("-", cleaned)
    cleaned = _DASHES.sub("-", cleaned).strip(_EDGE)
    # One byte kept back for the "_" a reserved device name gets.
    cleaned = truncate_utf8(cleaned, max_bytes - 1).strip(_EDGE)
    if not cleaned:
        return fallback
    if _RESERVED.match(cleaned):
        cleaned = "_" + cleaned
    return unicodedata.normalize("NFC", cleaned)
