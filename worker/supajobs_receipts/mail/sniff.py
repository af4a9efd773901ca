"""Which document types we take, recognised by declared type and by magic bytes."""

from __future__ import annotations

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"

EXTENSIONS = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png", "text/html": ".html"}
_BY_EXTENSION = {".pdf": PDF, ".jpg": JPEG, ".jpeg": JPEG, ".jpe": JPEG, ".png": PNG}
_ALIASES = {"image/jpg": JPEG, "image/pjpeg": JPEG, "application/x-pdf": PDF, "image/x-png": PNG}
# Types a mailer uses when it does not know better; the filename and the bytes decide then.
GENERIC = frozenset({"application/octet-stream", "application/x-download", "binary/octet-stream"})


def declared_type(content_type: str, filename: str) -> str | None:
    """The document type a part claims to be (content type, else file extension)."""
    ctype = _ALIASES.get(content_type.lower(), content_type.lower())
    if ctype in (PDF, JPEG, PNG):
        return ctype
    if ctype in GENERIC or not ctype:
        dot = filename.rfind(".")
        return _BY_EXTENSION.get(filename[dot:].lower()) if dot >= 0 else None
    return None


def sniffed_type(data: bytes) -> str | None:
    """The document type the bytes actually are, from their signature."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    # PDF readers accept the header anywhere in the first 1024 bytes.
    if b"%PDF-" in data[:1024]:
        return PDF
    return None
