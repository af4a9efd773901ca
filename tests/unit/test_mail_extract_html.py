"""Receipt-like HTML bodies become documents; other mails give nothing."""

from __future__ import annotations

from supajobs_receipts.mail import extract_documents
from support.mail_samples import NEWSLETTER_HTML, RECEIPT_HTML, mail, pdf


def test_receipt_like_html_body_becomes_an_html_document() -> None:
    found = extract_documents(mail("【Amazon.co.jp】ご注文の確認", html=RECEIPT_HTML))
    [doc] = found.documents
    assert doc.content_type == "text/html"
    assert doc.filename == "【Amazon.co.jp】ご注文の確認.html"
    assert "領収書" in doc.data.decode("utf-8")


def test_html_body_in_shift_jis_is_stored_as_utf8() -> None:
    markup = '<html><head><meta charset="shift_jis"></head><body>領収書 合計 500円</body></html>'
    msg = mail("receipt", text="x")
    msg.add_alternative(markup.encode("shift_jis"), maintype="text", subtype="html",
                        params={"charset": "shift_jis"})  # fmt: skip
    [doc] = extract_documents(msg).documents
    text = doc.data.decode("utf-8")
    assert text.startswith('<meta charset="utf-8">')
    assert "領収書 合計 500円" in text


def test_non_receipt_mail_gives_nothing() -> None:
    found = extract_documents(mail("お知らせ", html=NEWSLETTER_HTML, text="plain news"))
    assert found.documents == []
    assert found.skipped == []


def test_html_body_is_not_taken_when_a_receipt_file_is_attached() -> None:
    msg = mail(html=RECEIPT_HTML, attachments=(("r.pdf", "application/pdf", pdf()),))
    assert [d.content_type for d in extract_documents(msg).documents] == ["application/pdf"]
