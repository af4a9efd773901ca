"""Content types by extension, for uploads and for naming files by their type."""

from __future__ import annotations

import posixpath

TYPES_BY_EXT = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".html": "text/html",
    ".json": "application/json",
    ".csv": "text/csv",
}
EXT_BY_TYPE = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "text/html": "html",
}


def content_type_for(path: str) -> str:
    return TYPES_BY_EXT.get(posixpath.splitext(path)[1].lower(), "application/octet-stream")
