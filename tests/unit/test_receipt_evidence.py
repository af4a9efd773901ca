"""Issue 16's evidence and clean-up pieces, each on its own: repaired dates, second readings,
PDF lines by baseline, even lighting, the ink level and the paper crop."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import numpy as np
import pytest
from PIL import Image, ImageDraw
from reportlab.pdfgen import canvas

from supajobs_receipts.reading.agreement import agrees
from supajobs_receipts.reading.crop import crop_to_paper
from supajobs_receipts.reading.date_repair import repaired_dates
from supajobs_receipts.reading.extract import fields_from_lines
from supajobs_receipts.reading.model import Found
from supajobs_receipts.reading.ocr_digits import BoxedLine
from supajobs_receipts.reading.paper import flatten_lighting, ink_level, without_border_ink
from supajobs_receipts.reading.parse_date import dates_in
from supajobs_receipts.reading.second_reading import LineRereader
from supajobs_receipts.reading.text_pdf import open_pdf, pdf_text

TODAY = dt.date(2026, 12, 1)


@pytest.mark.parametrize(
    ("line", "expected"),
    [("2624年09月28日", dt.date(2024, 9, 28)), ("令和7年16月1日", dt.date(2025, 10, 1)),
     ("2024-11-66 68:52", dt.date(2024, 11, 6)), ("2029/06/20", dt.date(2020, 6, 20))],
)
def test_dates_are_repaired_from_zeros_read_as_6_8_9(line: str, expected: dt.date) -> None:
    assert repaired_dates(line, dates_in, TODAY)[0] == expected


def test_no_repair_without_a_date_and_never_into_the_future() -> None:
    assert repaired_dates("TEL 092-698-3547", dates_in, TODAY) == []
    assert repaired_dates("2026年12月06日", dates_in, TODAY) == [dt.date(2020, 12, 6)]


def _words(text: str) -> dict[str, list[Any]]:
    words = text.split()
    return {"text": words, "conf": [90.0] * len(words)}


def test_second_reading_crops_the_line_and_caches_it() -> None:
    calls: list[tuple[tuple[int, int], str, int]] = []

    def read(strip: Image.Image, languages: str, psm: int) -> dict[str, list[Any]]:
        calls.append((strip.size, languages, psm))
        return _words("ローソン 難波店")

    rereader = LineRereader("jpn+eng", read)
    rereader.add_page(Image.new("L", (200, 100), 255), [BoxedLine("ローソン", 90.0, 10, 30)])
    assert rereader(0) == "ローソン 難波店"
    assert rereader(0) == "ローソン 難波店"
    assert rereader(1) is None and rereader(-1) is None
    assert calls == [((260, 36), "jpn+eng", 7)]  # (20 + 2 x 4 pad) x 1.3, once


def test_vendor_readings_that_differ_mean_review() -> None:
    lines = ["丸亀製類", "TEL 03-0000-0000"]
    hit: Found[object] = Found("丸亀製類", 0.85, 0)
    assert agrees("vendor", hit, lines, lambda _: "丸亀 製 麺") is False
    assert agrees("vendor", hit, lines, lambda _: "a 丸亀 製類 |") is True  # edge specks
    assert agrees("vendor", hit, lines, lambda _: None) is None
    assert agrees("total", Found(100, 0.9, 0), lines, lambda _: "x") is None
    text = [("丸亀製類", 90.0), ("TEL 03-0000-0000", 90.0), ("2024/06/20", 90.0),
            ("合計 ¥1,100", 90.0), ("お預り ¥2,000", 90.0), ("お釣り ¥900", 90.0),
            ("内消費税 ¥100", 90.0)]
    trusted = fields_from_lines(text, "ocr", reread=lambda i: text[i][0])
    doubted = fields_from_lines(text, "ocr", reread=lambda i: "丸亀製麺" if i == 0 else None)
    assert not trusted.needs_review
    assert doubted.needs_review and doubted.confidence["vendor"] < 0.6


def test_pdf_label_and_right_aligned_amount_make_one_line() -> None:
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=(300, 100))
    pdf.drawString(20, 60, "Total")
    pdf.drawRightString(280, 60, "5,500 JPY")
    pdf.drawString(20, 40, "Tax")
    pdf.drawRightString(280, 40, "500 JPY")
    pdf.showPage()
    pdf.save()
    assert pdf_text(open_pdf(buf.getvalue()), 1).splitlines() == ["Total 5,500 JPY", "Tax 500 JPY"]


def test_flatten_lighting_whitens_a_shadowed_paper_and_keeps_the_ink() -> None:
    gradient = np.tile(np.linspace(250, 120, 200, dtype=np.float32), (200, 1))
    img = Image.fromarray(gradient.astype(np.uint8))
    ImageDraw.Draw(img).rectangle((150, 90, 170, 110), fill=40)  # ink in the shadow
    flat = np.asarray(flatten_lighting(img))
    assert flat[10, 190] > 230 and flat[10, 10] > 230  # paper: white on both sides
    assert flat[100, 160] < 100  # ink: still dark


def test_ink_level_follows_faint_print() -> None:
    arr = np.full((100, 100), 240, dtype=np.uint8)
    arr[40:60, 10:90] = 185  # faint thermal print
    level = ink_level(arr)
    assert 185 < level < 240
    assert ink_level(np.zeros((0, 0), dtype=np.uint8)) == 128.0


def test_border_ink_is_desk_not_text() -> None:
    ink = np.zeros((20, 20), dtype=bool)
    ink[:, :3] = True  # a desk wedge along the left edge
    ink[8:12, 8:12] = True  # text
    kept = without_border_ink(ink)
    assert not kept[:, :3].any() and kept[8:12, 8:12].all()


def test_paper_crop_drops_a_dark_desk_but_never_cuts_text() -> None:
    desk = Image.new("L", (400, 400), 60)
    desk.paste(Image.new("L", (200, 300), 235), (100, 50))
    ImageDraw.Draw(desk).rectangle((130, 100, 270, 110), fill=20)
    cropped = crop_to_paper(desk)
    assert 190 <= cropped.width <= 210 and 290 <= cropped.height <= 310
    light_desk = Image.new("L", (400, 500), 200)
    paper = np.full((400, 240), 235, np.float32)
    paper[200:, :] = np.linspace(235, 150, 200)[:, None]  # the paper's lower half in shadow
    shot = Image.fromarray(paper.astype(np.uint8))
    for y in range(20, 390, 25):
        ImageDraw.Draw(shot).rectangle((20, y, 200, y + 8), fill=60 if y < 200 else 40)
    light_desk.paste(shot, (80, 50))
    assert crop_to_paper(light_desk).size == (400, 500)  # the shadowed text stays
