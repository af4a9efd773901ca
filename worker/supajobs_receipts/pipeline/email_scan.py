"""email_scan: new mail -> stored files -> one receipt_process + file_organize pair per file.

Order matters for "never a lost mail": files are stored and saved, the jobs enqueued (one
atomic batch per mail), and only then is the mailbox checkpoint moved. A crash in between
re-reads the same mail next time; sha256 storage and idempotency keys make that harmless.
"""

from __future__ import annotations

import asyncio
from typing import Any, NoReturn

from pydantic import BaseModel, ConfigDict
from pydantic import ValidationError as PydanticValidationError

from supajobs_receipts.mail import (
    Checkpoint,
    GmailCheckpoint,
    GmailSource,
    ImapSource,
    MaildirCheckpoint,
    MailDocument,
    MailError,
    MailMessage,
    extract_documents,
)
from supajobs_receipts.pipeline.context import Pipeline
from supajobs_receipts.pipeline.freee_chain import chain_freee_sync
from supajobs_worker.registry import JobContext, NonRetryableError, RetryLaterError


class EmailScanPayload(BaseModel):
    model_config = ConfigDict(extra="forbid")


Point = Checkpoint | MaildirCheckpoint | GmailCheckpoint
_KINDS: dict[type, type[Point]] = {ImapSource: Checkpoint, GmailSource: GmailCheckpoint}
_SOURCE_NAMES: dict[type, str] = {ImapSource: "mail", GmailSource: "gmail"}


def _checkpoint(source: object, stored: dict[str, Any] | None) -> Point | None:
    if stored is None:
        return None
    kind = _KINDS.get(type(source), MaildirCheckpoint)
    try:
        return kind.model_validate(stored)
    except PydanticValidationError:
        return None  # unusable: start over; idempotency keys keep old mail from doubling


def job_items(receipt_id: str, doc: MailDocument, n: int) -> list[dict[str, Any]]:
    """The pair for one document: read it, then file it once the reading succeeded."""
    key = doc.idempotency_key
    return [
        {"job_type": "receipt_process", "ref": f"read{n}", "payload": {"receipt_id": receipt_id},
         "idempotency_key": key},
        {"job_type": "file_organize", "depends_on": [f"read{n}"],
         "payload": {"receipt_id": receipt_id}, "idempotency_key": f"organize:{key}"},
    ]


async def _take_mail(pipe: Pipeline, message: MailMessage, source: str,
                     summary: dict[str, Any]) -> None:
    found = extract_documents(message.email(), raw=message.raw, received_at=message.received_at)
    summary["skipped"] += [s.model_dump(include={"message_id", "filename", "reason"})
                           for s in found.skipped]
    items: list[dict[str, Any]] = []
    for doc in found.documents:
        stored = await asyncio.to_thread(pipe.store.put, doc.data, doc.filename)
        row = await pipe.api.save_document(
            sha256=doc.sha256, stored_path=stored.path, original_name=doc.filename,
            content_type=doc.content_type, source=source, message_id=doc.message_id,
            received_at=doc.received_at)
        summary["documents"] += 1
        if row.stored_path != stored.path and stored.created:
            # Bytes we already had (and filed elsewhere): drop the second copy.
            await asyncio.to_thread(pipe.store.delete, stored.path)
        if row.status != "stored" or str(row.id) in summary["receipts"]:
            summary["known"].append({"receipt_id": str(row.id), "filename": doc.filename,
                                     "status": row.status})
            continue
        items += job_items(str(row.id), doc, len(items) // 2)
        summary["receipts"].append(str(row.id))
    if items:
        jobs = await pipe.client.enqueue_many(items)
        summary["jobs"] += [j.id for j in jobs]


async def email_scan(pipe: Pipeline, payload: EmailScanPayload, ctx: JobContext
                     ) -> dict[str, Any]:
    settings = pipe.settings
    mailbox = settings.mailbox_key
    source = settings.mail_source(pipe.token_source)
    checkpoint = _checkpoint(source, await pipe.api.get_checkpoint(mailbox))
    try:
        messages, new_checkpoint = await asyncio.to_thread(
            source.fetch_new, checkpoint)  # type: ignore[arg-type]
    except MailError as exc:
        _raise_for(mailbox, exc)
    summary: dict[str, Any] = {"mailbox": mailbox, "messages": len(messages), "documents": 0,
                               "receipts": [], "jobs": [], "known": [], "skipped": []}
    kind = _SOURCE_NAMES.get(type(source), "maildir")
    for message in messages:
        await _take_mail(pipe, message, kind, summary)
    await chain_freee_sync(pipe, summary, ctx)
    if isinstance(source, GmailSource):
        # Labelled only once every document is stored and enqueued; a failure here leaves
        # the checkpoint where it was, so the next attempt takes (idempotently) and labels.
        try:
            summary["labelled"] = await asyncio.to_thread(source.mark_done, messages)
        except MailError as exc:
            _raise_for(mailbox, exc)
    await pipe.api.save_checkpoint(mailbox, new_checkpoint.model_dump(mode="json"))
    return summary


def _raise_for(mailbox: str, exc: MailError) -> NoReturn:
    """Throttling Google named a wait for -> postponed by the queue; other transient
    failures -> the engine's retry; the rest (a revoked grant, a missing folder) -> dead."""
    retry_after = getattr(exc, "retry_after", None)
    if exc.retryable and retry_after is not None:
        raise RetryLaterError(retry_after, f"{mailbox}: {exc}") from exc
    if exc.retryable:
        raise exc
    raise NonRetryableError(f"{mailbox}: {exc}") from exc
