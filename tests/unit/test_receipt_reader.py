"""read_receipt on files: text PDFs, HTML, and every kind of unreadable input."""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import json
from pathlib import Path
from types import ModuleType

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter

from supajobs_receipts.reading import ReadOptions, UnreadableReason, UnreadableReceipt, read_receipt
from supajobs_receipts.reading.cli_output import to_json, to_table

GENERATOR = Path(__file__).parents[1] / "data" / "receipts" / "generate.py"


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("receipt_corpus", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def gen() -> ModuleType:
    return load_generator()


@pytest.fixture(scope="module")
def conbini_pdf(gen: ModuleType) -> bytes:
    samples = json.loads(gen.SAMPLES.read_text(encoding="utf-8"))
    lines = next(s["lines"] for s in samples if s["name"] == "conbini_mixed_rate")
    data: bytes = gen.render_pdf(lines)
    return data


def test_text_pdf_is_read_without_ocr(conbini_pdf: bytes) -> None:
    fields = read_receipt(conbini_pdf, "receipt.pdf")
    assert fields.source == "pdf_text"
    assert (fields.date, fields.total, fields.tax) == (dt.date(2024, 6, 20), 620, 51)
    assert fields.invoice_number == "T7011001055620"
    assert fields.vendor == "セブン-イレブン渋谷道玄坂店"
    assert not fields.needs_review


def test_reads_from_a_path(tmp_path: Path, conbini_pdf: bytes) -> None:
    path = tmp_path / "r.pdf"
    path.write_bytes(conbini_pdf)
    assert read_receipt(path).total == 620


def expect_unreadable(reason: UnreadableReason, data: bytes | Path, name: str = "x",
                      options: ReadOptions | None = None) -> UnreadableReceipt:
    with pytest.raises(UnreadableReceipt) as caught:
        read_receipt(data, name, options)
    assert caught.value.reason == reason
    assert caught.value.retryable is False
    assert str(caught.value).startswith(reason.value)
    return caught.value


def test_corrupt_pdf() -> None:
    expect_unreadable(UnreadableReason.CORRUPT_PDF, b"%PDF-1.4\n1 0 obj <<garbage\n%%EOF", "a.pdf")


def test_truncated_pdf(conbini_pdf: bytes) -> None:
    expect_unreadable(UnreadableReason.CORRUPT_PDF, conbini_pdf[: len(conbini_pdf) // 3], "a.pdf")


def test_encrypted_pdf(conbini_pdf: bytes) -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(conbini_pdf)))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    error = expect_unreadable(UnreadableReason.ENCRYPTED_PDF, buf.getvalue(), "locked.pdf")
    assert "password" in error.detail


def test_pdf_with_only_an_owner_password_is_read(conbini_pdf: bytes) -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(conbini_pdf)))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    assert read_receipt(buf.getvalue(), "r.pdf").total == 620


def test_empty_file() -> None:
    expect_unreadable(UnreadableReason.EMPTY_FILE, b"", "empty.pdf")


def test_blank_image_is_empty() -> None:
    buf = io.BytesIO()
    Image.new("RGB", (600, 800), (255, 255, 255)).save(buf, format="PNG")
    expect_unreadable(UnreadableReason.EMPTY_IMAGE, buf.getvalue(), "blank.png")


def test_tiny_image_is_empty() -> None:
    buf = io.BytesIO()
    Image.new("L", (1, 1), 0).save(buf, format="PNG")
    expect_unreadable(UnreadableReason.EMPTY_IMAGE, buf.getvalue(), "dot.png")


def test_corrupt_image() -> None:
    expect_unreadable(UnreadableReason.CORRUPT_IMAGE, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "b.png")


def test_too_large_by_size_on_disk_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.pdf"
    with path.open("wb") as handle:  # sparse: 50 MB + 1 byte without writing them
        handle.truncate(50 * 1024 * 1024 + 1)
    error = expect_unreadable(UnreadableReason.TOO_LARGE, path)
    assert str(50 * 1024 * 1024) in error.detail


def test_size_limit_is_configurable(conbini_pdf: bytes) -> None:
    expect_unreadable(UnreadableReason.TOO_LARGE, conbini_pdf, "r.pdf", ReadOptions(max_bytes=1000))


def test_unsupported_format() -> None:
    expect_unreadable(UnreadableReason.UNSUPPORTED_FORMAT, b"PK\x03\x04zipdata", "a.zip")


def test_non_receipt_pdf(gen: ModuleType) -> None:
    data = gen.render_pdf(["^定期メンテナンスのお知らせ", "2024年6月20日", "システムを停止します。"])
    expect_unreadable(UnreadableReason.NOT_A_RECEIPT, data, "notice.pdf")


def test_html_receipt_body() -> None:
    html = ("<html><body><h1>ご注文の領収書</h1><p>GitHub, Inc.</p><p>発行日: 2024-06-01</p>"
            "<table><tr><td>合計</td><td>¥1,650</td></tr><tr><td>消費税(10%)</td><td>¥150</td></tr>"
            "</table><p>登録番号 T4010001034174</p><script>var total = 99999;</script></body></html>")
    fields = read_receipt(html.encode("utf-8"), "body.html")
    assert fields.source == "html_text"
    assert (fields.date, fields.total, fields.tax) == (dt.date(2024, 6, 1), 1650, 150)
    assert fields.vendor == "GitHub, Inc."
    assert fields.invoice_number == "T4010001034174"


def test_incomplete_receipt_needs_review() -> None:
    fields = read_receipt("<html><p>領収書</p><p>¥1,100</p></html>".encode(), "r.html")
    assert fields.total == 1100
    assert fields.date is None
    assert fields.needs_review
    assert "date not found" in fields.warnings


def test_cli_json_and_table(conbini_pdf: bytes) -> None:
    fields = read_receipt(conbini_pdf, "a.pdf")
    error = UnreadableReceipt(UnreadableReason.ENCRYPTED_PDF, "the PDF needs a password")
    records = json.loads(to_json([("a.pdf", fields), (Path("b.pdf"), error)]))
    assert records[0]["date"] == "2024-06-20"
    assert records[0]["total"] == 620
    assert records[0]["invoice_number"] == "T7011001055620"
    assert set(records[0]["confidence"]) == {"date", "total", "tax", "vendor", "invoice_number"}
    assert records[0]["needs_review"] is False
    assert records[1] | {"confidence": None} == {
        "file": "b.pdf", "date": None, "total": None, "tax": None, "vendor": None,
        "invoice_number": None, "confidence": None, "needs_review": True,
        "error": "encrypted_pdf: the PDF needs a password", "reason": "encrypted_pdf"}
    table = to_table([("a.pdf", fields), ("b.pdf", error)]).splitlines()
    assert table[0].split() == ["file", "date", "total", "tax", "vendor", "invoice_number", "review"]
    assert "620 (" in table[1] and table[1].endswith("no")
    assert "UNREADABLE encrypted_pdf" in table[2]
