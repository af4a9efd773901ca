"""Taking receipt documents out of mails: which parts, which bodies, what is skipped."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from supajobs_receipts.mail import extract_documents
from supajobs_receipts.mail.model import parse_email
from support.mail_samples import jpeg, mail, pdf, png, raw


def test_pdf_attachment_is_taken_with_its_metadata() -> None:
    data = pdf("a")
    found = extract_documents(mail(attachments=(("receipt.pdf", "application/pdf", data),)))
    assert found.skipped == []
    [doc] = found.documents
    assert (doc.filename, doc.content_type, doc.data) == ("receipt.pdf", "application/pdf", data)
    assert doc.sha256 == hashlib.sha256(data).hexdigest()
    assert (doc.message_id, doc.subject, doc.sender) == (
        "<m1@example.jp>",
        "Your receipt",
        "Shop <shop@example.jp>",
    )
    assert doc.received_at == datetime(2024, 6, 20, 1, 0, tzinfo=UTC)
    assert doc.idempotency_key == f"<m1@example.jp>:{doc.sha256}"


def test_jpeg_and_png_attachments_are_taken_and_other_files_ignored() -> None:
    msg = mail(
        attachments=(
            ("a.jpg", "image/jpeg", jpeg()),
            ("b.png", "image/png", png()),
            ("notes.txt", "text/plain", b"hello"),
            ("cal.ics", "text/calendar", b"BEGIN:VCALENDAR"),
        )
    )
    found = extract_documents(msg)
    assert [(d.filename, d.content_type) for d in found.documents] == [
        ("a.jpg", "image/jpeg"),
        ("b.png", "image/png"),
    ]
    assert found.skipped == []


def test_octet_stream_is_recognised_by_extension_and_magic_bytes() -> None:
    msg = mail(
        attachments=(
            ("scan.PDF", "application/octet-stream", pdf()),
            ("blob.bin", "application/octet-stream", pdf("x")),
        )
    )
    [doc] = extract_documents(msg).documents
    assert (doc.filename, doc.content_type) == ("scan.pdf", "application/pdf")


def test_declared_type_without_matching_bytes_is_skipped_with_reason() -> None:
    msg = mail(attachments=(("fake.pdf", "application/pdf", b"<html>not a pdf</html>"),))
    found = extract_documents(msg)
    assert found.documents == []
    [skip] = found.skipped
    assert skip.filename == "fake.pdf"
    assert skip.reason == "declared application/pdf but the content is not a PDF file"


def test_inline_image_is_taken_but_a_tiny_one_is_decoration() -> None:
    photo, logo = jpeg(50_000), png(300)
    msg = mail(html="<p>写真です</p>", inline=(("image/jpeg", photo), ("image/png", logo)))
    found = extract_documents(msg)
    assert [d.data for d in found.documents] == [photo]
    assert found.documents[0].filename.endswith(".jpg")
    [skip] = found.skipped
    assert skip.size == 300
    assert "decoration" in skip.reason


def test_oversized_attachment_is_reported_not_dropped() -> None:
    big = pdf() + b"0" * 3_000_000
    msg = mail(
        attachments=(
            ("big.pdf", "application/pdf", big),
            ("small.pdf", "application/pdf", pdf("s")),
        )
    )
    found = extract_documents(msg, max_bytes=2_000_000)
    assert [d.filename for d in found.documents] == ["small.pdf"]
    [skip] = found.skipped
    assert skip.filename == "big.pdf"
    assert skip.size >= 3_000_000
    assert "above the 1.9 MB limit" in skip.reason
    assert "2.9 MB" in skip.reason


def test_default_limit_is_25_megabytes() -> None:
    big = pdf() + b"0" * (26 * 1024 * 1024)
    found = extract_documents(mail(attachments=(("huge.pdf", "application/pdf", big),)))
    assert found.documents == []
    assert "above the 25.0 MB limit" in found.skipped[0].reason


def test_unsupported_image_type_is_reported() -> None:
    found = extract_documents(mail(attachments=(("IMG_1.HEIC", "image/heic", b"\0" * 100),)))
    assert found.documents == []
    assert "unsupported type image/heic" in found.skipped[0].reason


def test_same_file_attached_twice_is_one_document() -> None:
    data = pdf("dup")
    msg = mail(attachments=(("a.pdf", "application/pdf", data), ("b.pdf", "application/pdf", data)))
    assert len(extract_documents(msg).documents) == 1


def test_mail_without_message_id_gets_a_stable_stand_in() -> None:
    data = raw(mail(message_id=None, attachments=(("a.pdf", "application/pdf", pdf()),)))
    first = extract_documents(parse_email(data), raw=data).documents[0].message_id
    again = extract_documents(parse_email(data), raw=data).documents[0].message_id
    assert first == again
    assert first.startswith("<sha256-")


def test_received_at_given_by_the_source_wins_over_the_date_header() -> None:
    when = datetime(2025, 1, 2, 3, 4, tzinfo=UTC)
    msg = mail(attachments=(("a.pdf", "application/pdf", pdf()),))
    assert extract_documents(msg, received_at=when).documents[0].received_at == when
