"""Take the receipt documents out of a mail: PDF/JPEG/PNG parts and receipt-like HTML.

A part is taken when it declares a document type (content type, or a file extension
under a generic type) and its bytes carry that type's signature. Every part that looks
like a document but is not taken becomes a SkippedDocument with the reason, so nothing
is dropped without a trace.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from email.message import EmailMessage
from email.utils import parsedate_to_datetime

from .filenames import safe_filename
from .model import Extraction, MailDocument, SkippedDocument, header_text, message_id_of
from .parts import Candidate, candidates, receipt_html_body

DEFAULT_MAX_BYTES = 25 * 1024 * 1024
DEFAULT_MIN_INLINE_IMAGE_BYTES = 10 * 1024


class _Builder:
    def __init__(self, msg: EmailMessage, raw: bytes | None, received_at: datetime | None) -> None:
        self.message_id = message_id_of(msg, raw)
        self.subject = header_text(msg, "Subject")
        self.sender = header_text(msg, "From")
        self.received_at = received_at or _date_header(msg)

    def document(self, filename: str, content_type: str, data: bytes) -> MailDocument:
        return MailDocument(
            message_id=self.message_id,
            subject=self.subject,
            sender=self.sender,
            received_at=self.received_at,
            filename=filename,
            content_type=content_type,
            data=data,
            sha256=hashlib.sha256(data).hexdigest(),
        )

    def skipped(self, cand: Candidate, reason: str, size: int | None = None) -> SkippedDocument:
        return SkippedDocument(
            message_id=self.message_id,
            filename=cand.filename or "(unnamed)",
            content_type=cand.content_type,
            size=cand.size if size is None else size,
            reason=reason,
        )


def extract_documents(
    msg: EmailMessage,
    *,
    raw: bytes | None = None,
    received_at: datetime | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    min_inline_image_bytes: int = DEFAULT_MIN_INLINE_IMAGE_BYTES,
) -> Extraction:
    """The documents in `msg`. `raw` (the message bytes) only feeds the stand-in
    Message-ID of a mail without one; `received_at` defaults to the Date header."""
    build = _Builder(msg, raw, received_at)
    html_part = receipt_html_body(msg)
    documents: list[MailDocument] = []
    skipped: list[SkippedDocument] = []
    for cand in candidates(msg, html_part):
        if not cand.declared:
            reason = f"unsupported type {cand.content_type}; only PDF, JPEG and PNG are read"
            skipped.append(build.skipped(cand, reason))
            continue
        # Checked before decoding (estimate) and after (exact), so a huge part never
        # has to be decoded just to be refused.
        data = b"" if cand.size > max_bytes else cand.data()
        if cand.size > max_bytes or len(data) > max_bytes:
            size = max(cand.size, len(data))
            skipped.append(build.skipped(cand, _too_big(size, max_bytes), size))
        elif cand.sniffed(data) != cand.declared:
            label = cand.extension.lstrip(".").upper()
            reason = f"declared {cand.declared} but the content is not a {label} file"
            skipped.append(build.skipped(cand, reason))
        elif cand.inline and len(data) < min_inline_image_bytes:
            reason = f"inline image of {len(data)} bytes is below {min_inline_image_bytes} bytes"
            skipped.append(build.skipped(cand, f"{reason}; treated as decoration"))
        else:
            name = safe_filename(
                cand.filename, fallback=f"attachment-{cand.index}", extension=cand.extension
            )
            documents.append(build.document(name, cand.declared, data))
    # A receipt-like body is the receipt only when no attached file already is.
    if html_part is not None and not documents:
        # Stored as UTF-8 whatever the mail's charset; the leading meta wins over a
        # <meta charset="shift_jis"> further down, so readers decode it correctly.
        data = ('<meta charset="utf-8">\n' + html_part.get_content()).encode("utf-8")
        name = safe_filename(build.subject, fallback="receipt", extension=".html")
        documents.append(build.document(name, "text/html", data))
    return Extraction(documents=_unique(documents), skipped=skipped)


def _unique(documents: list[MailDocument]) -> list[MailDocument]:
    """The same file attached twice to one mail is one document."""
    seen: dict[str, MailDocument] = {}
    for doc in documents:
        seen.setdefault(doc.sha256, doc)
    return list(seen.values())


def _too_big(size: int, limit: int) -> str:
    mib = 1024 * 1024
    return f"attachment of {size / mib:.1f} MB is above the {limit / mib:.1f} MB limit"


def _date_header(msg: EmailMessage) -> datetime | None:
    try:
        value = msg.get("Date")
        return None if value is None else parsedate_to_datetime(str(value))
    except (TypeError, ValueError, IndexError):
        return None
