"""digit_pass: the English pass reads strips of digit words; whole registration numbers."""

from __future__ import annotations

from typing import Any

from PIL import Image

from supajobs_dev.demo.sample_receipts import render_image
from supajobs_receipts.reading import engine
from supajobs_receipts.reading.digit_pass import english_digit_lines, take_registration_numbers
from supajobs_receipts.reading.ocr_digits import BoxedLine, boxed_lines


def _read(strip: Image.Image, languages: str, psm: int) -> dict[str, list[Any]]:
    return engine.image_to_data(strip, languages, psm, 60.0)


def test_strips_hold_only_digit_words_at_their_lines_height() -> None:
    img = render_image(["^喫茶ひだまり", "登録番号 T1011001008740", "合計|¥1,280", "ありがとう"])
    data = engine.image_to_data(img, "jpn+eng", 6, 60.0)
    japanese = boxed_lines(data)
    strips = english_digit_lines(img, data, _read)
    with_digits = [line for line in japanese if any(ch.isdigit() for ch in line.text)]
    assert [(s.top, s.bottom) for s in strips] == [(j.top, j.bottom) for j in with_digits]
    joined = " ".join(s.text for s in strips)
    assert "T1011001008740" in joined and "280" in joined
    assert "ありがとう" not in joined and "喫茶" not in joined


def test_a_whole_registration_number_replaces_a_misread_one() -> None:
    strip = BoxedLine("T1011001008740", 90.0, 10, 40)
    for misread in ("登録番号 11011091008740", "登録番号 T10110010087409", "登録番号 71011001008740"):
        fixed = take_registration_numbers([BoxedLine(misread, 80.0, 10, 40)], [strip])
        assert fixed[0].text == "登録番号T1011001008740" and fixed[0].confidence == 80.0


def test_no_replacement_without_a_valid_whole_number_or_a_partner() -> None:
    line = BoxedLine("登録番号 11011091008740", 80.0, 10, 40)
    bad_check_digit = BoxedLine("T1011001008741", 90.0, 10, 40)
    elsewhere = BoxedLine("T1011001008740", 90.0, 50, 80)
    assert take_registration_numbers([line], [bad_check_digit]) == [line]
    assert take_registration_numbers([line], [elsewhere]) == [line]
    short = BoxedLine("合計 1280", 80.0, 10, 40)
    assert take_registration_numbers([short], [BoxedLine("T1011001008740", 90, 10, 40)]) == [short]
