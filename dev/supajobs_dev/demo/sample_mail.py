"""The demo's mailbox: a Maildir with a few receipt mails dated this month (Asia/Tokyo).

Among them: a PDF invoice, a photographed receipt (PNG, read by OCR), a receipt sent twice
as two different PDFs (a likely duplicate), an HTML receipt body, a damaged PDF and a
newsletter without receipts.
"""

from __future__ import annotations

import datetime as dt
import mailbox
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from supajobs_dev.demo.sample_receipts import receipt_lines, render_pdf, render_png

TOKYO = ZoneInfo("Asia/Tokyo")
DAMAGED_PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\n% the rest was lost\n"
HTML_RECEIPT = """<html><body><h1>ご注文の領収書</h1><p>ご購入ありがとうございます。</p>
<p>販売: 株式会社デモストア</p><p>注文日: {day:%Y年%-m月%-d日}</p>
<table><tr><td>USB-C ケーブル</td><td>￥2,200</td></tr>
<tr><td>合計</td><td>￥2,200</td></tr><tr><td>(内消費税 10%)</td><td>￥200</td></tr></table>
<p>登録番号 T6013301001288</p></body></html>"""
NEWSLETTER = "<html><body><h1>今週のお知らせ</h1><p>新機能を公開しました。</p></body></html>"


def message(n: int, subject: str, sender: str, when: dt.datetime, *, html: str | None = None,
            attachments: tuple[tuple[str, str, bytes], ...] = ()) -> EmailMessage:
    msg = EmailMessage(policy=policy.SMTP)
    msg["From"], msg["To"], msg["Subject"] = sender, "me@example.jp", subject
    msg["Date"] = format_datetime(when)
    msg["Message-ID"] = f"<demo-{n}@supajobs.invalid>"
    msg.set_content("領収書をお送りします。" if attachments else "お知らせです。")
    if html is not None:
        msg.add_alternative(html, subtype="html")
    for filename, ctype, data in attachments:
        maintype, subtype = ctype.split("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return msg


def demo_mails(today: dt.date | None = None) -> list[EmailMessage]:
    day = today or dt.datetime.now(TOKYO).date()
    when = dt.datetime.combine(day, dt.time(9, 0), TOKYO)
    aws = receipt_lines("アマゾン ウェブ サービス ジャパン合同会社", day,
                        [("クラウド利用料", 5500)], "T4010001034174")
    cafe = receipt_lines("喫茶ひだまり", day, [("ブレンドコーヒー", 550), ("チーズケーキ", 550)],
                         "T5010401067252")
    books = receipt_lines("株式会社技術書房", day, [("技術書 Pythonの本", 3300)], "T1011001008740")
    pdf = "application/pdf"
    return [
        message(1, "AWS ご請求書", "AWS <billing@aws.example>", when,
                attachments=(("invoice.pdf", pdf, render_pdf(aws)),)),
        message(2, "打ち合わせのレシート", "me <me@example.jp>", when,
                attachments=(("receipt.png", "image/png", render_png(cafe)),)),
        message(3, "領収書", "技術書店 <shop@books.example>", when,
                attachments=(("books.pdf", pdf, render_pdf(books)),)),
        message(4, "領収書 (再送)", "技術書店 <shop@books.example>", when,
                attachments=(("books-copy.pdf", pdf, render_pdf(books, producer="resend")),)),
        message(5, "ご注文の領収書", "デモストア <order@store.example>", when,
                html=HTML_RECEIPT.format(day=day)),
        message(6, "スキャンした領収書", "me <me@example.jp>", when,
                attachments=(("scan.pdf", pdf, DAMAGED_PDF),)),
        message(7, "今週のお知らせ", "news <news@example.jp>", when, html=NEWSLETTER),
    ]


def write_maildir(path: Path, mails: list[EmailMessage]) -> Path:
    """A Maildir (new/, cur/, tmp/) holding the mails, as a mail client would deliver them."""
    path.parent.mkdir(parents=True, exist_ok=True)
    box = mailbox.Maildir(path, create=True)
    for msg in mails:
        box.add(msg.as_bytes(policy=policy.SMTP))
    return path
