"""The failure classes of issue 16: branch lines, lost thousands separators, untaxed receipts,
tax parts per rate, and a review flag that follows the evidence."""

from __future__ import annotations

import pytest

from supajobs_receipts.reading.extract import fields_from_lines
from supajobs_receipts.reading.issuer_block import is_branch
from supajobs_receipts.reading.normalize import normalize_line, normalize_lines
from supajobs_receipts.reading.parse_tax import parse_tax
from supajobs_receipts.reading.parse_vendor import parse_vendor


def ocr(text: str, confidence: float = 90.0) -> list[tuple[str, float]]:
    return [(line, confidence) for line in text.splitlines()]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ローソン\n難波店\n大阪府大阪市中央区難波1-2-3", "ローソン難波店"),
        ("ベーカリー麦の穂\n新宿本店\nTEL 03-1234-5678", "ベーカリー麦の穂新宿本店"),
        ("中華そば 福来\n駅前店\n〒150-0001", "中華そば福来駅前店"),
        ("株式会社紀伊國屋書店\n梅田店\n大阪府大阪市北区1-1", "株式会社紀伊國屋書店梅田店"),
        ("CAFE SOLEIL\nShibuya店\n東京都渋谷区1-2-3", "CAFE SOLEIL Shibuya店"),
        ("山田書店\n東京都千代田区神田1-1", "山田書店"),
        ("とんかつ まるや\n東京都台東区上野1-2-3\nTEL 03-0000-0000", "とんかつまるや"),
    ],
)
def test_vendor_is_the_issuer_block_with_its_branch(text: str, expected: str) -> None:
    found = parse_vendor(normalize_lines(text))
    assert found is not None
    assert found.value == expected
    assert found.confidence >= 0.6


def test_a_branch_alone_is_not_trusted() -> None:
    found = parse_vendor(normalize_lines("領収書\n難波店\n2024/06/20"))
    assert found is not None
    assert found.value == "難波店"
    assert found.confidence < 0.6


def test_branch_words_and_shop_kinds() -> None:
    assert is_branch("難波店") and is_branch("新宿東口店") and is_branch("(渋谷店)")
    assert not is_branch("山田書店") and not is_branch("株式会社難波店")
    assert not is_branch("セブン-イレブン渋谷道玄坂店ABCDEF")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("合計 \\2.563", "合計¥2,563"), ("弁当 \\1,.413", "弁当¥1,413"), ("合計 ¥ 2 563", "合計¥2,563"),
     ("2024.6.20", "2024.6.20"), ("TEL 06.1234.5678", "TEL 06.1234.5678"),
     ("JPY 5,500.00", "JPY 5,500.00"), ("〒542.0076", "〒542.0076")],
)
def test_thousands_separators_read_as_dots_or_spaces(raw: str, expected: str) -> None:
    assert normalize_line(raw) == expected


def test_untaxed_receipts_have_zero_tax() -> None:
    for text in ("チャージ ¥3,000\n不課税\n合計 ¥3,000", "切手 ¥840\n(非課税)\n合計 ¥840"):
        found = parse_tax(normalize_lines(text))
        assert found is not None, text
        assert found.value == 0
    assert parse_tax(normalize_lines("合計 ¥3,000")) is None
    taxed = parse_tax(normalize_lines("非課税対象 ¥500\n消費税 ¥100\n合計 ¥1,600"))
    assert taxed is not None and taxed.value == 100


def test_tax_parts_under_their_rate_lines_add_up() -> None:
    text = "(8%対象 ¥1,080)\n(内消費税 ¥80)\n(10%対象 ¥1,100)\n(内消費税 ¥100)\n合計 ¥2,180"
    found = parse_tax(normalize_lines(text))
    assert found is not None
    assert found.value == 180


def test_a_total_that_lost_its_digit_group_is_repaired_from_cash_and_change() -> None:
    text = ("ローソン\n難波店\n2024年6月20日\nおにぎり ¥1,150\n弁当 ¥1,413\n合計 ¥2\n"
            "(内消費税等 ¥232)\nお預り ¥3,000\nお釣り ¥437")
    fields = fields_from_lines(ocr(text), "ocr")
    assert fields.total == 2563
    assert any("replaced by 2563" in note for note in fields.warnings)
    assert fields.confidence["total"] >= 0.9


def test_outside_tax_receipt_confirms_total_and_tax() -> None:
    text = ("とんかつ まるや\nTEL 03-0000-0000\n2024/06/20\nロースかつ定食 ¥1,800\n"
            "小計 ¥1,800\n値引 -¥200\n外税10% ¥160\n合計 ¥1,760")
    fields = fields_from_lines(ocr(text), "ocr")
    assert (fields.total, fields.tax) == (1760, 160)
    assert fields.confidence["total"] >= 0.9 and fields.confidence["tax"] >= 0.9
    assert not fields.needs_review


def test_unconfirmed_ocr_amounts_go_to_review_but_text_pdfs_do_not() -> None:
    text = "とんかつ まるや\nTEL 03-0000-0000\n2024/06/20\n合計 ¥1,760"
    assert fields_from_lines(ocr(text), "ocr").needs_review
    pdf = fields_from_lines(ocr(text, 100.0), "pdf_text")
    assert pdf.confidence["total"] >= 0.6


def test_a_total_below_the_tax_is_a_contradiction() -> None:
    fields = fields_from_lines(ocr("店\n2024/06/20\n合計 ¥2\n内消費税 ¥232"), "ocr")
    assert fields.needs_review
    assert sum("exceeds the total" in note for note in fields.warnings) == 1
    assert fields.confidence["total"] <= 0.3 and fields.confidence["tax"] <= 0.3


def test_missing_registration_number_is_fine_unless_the_label_is_there() -> None:
    plain = fields_from_lines(ocr("まるや\n2024/06/20\n合計 ¥1,100\n内消費税 ¥100"), "pdf_text")
    assert plain.invoice_number is None and plain.confidence["invoice_number"] >= 0.6
    labelled = fields_from_lines(
        ocr("まるや\n登録番号 T70110010\n2024/06/20\n合計 ¥1,100\n内消費税 ¥100"), "pdf_text")
    assert labelled.invoice_number is None and labelled.needs_review


def test_latin_specks_in_an_ocr_name_mean_review() -> None:
    text = ("焼鳥 Att\n東京都台東区上野1-2-3\n2024/06/20\n合計 ¥1,100\n(内消費税等 ¥100)\n"
            "お預り ¥2,000\nお釣り ¥900")
    assert fields_from_lines(ocr(text), "ocr").confidence["vendor"] < 0.6
    assert fields_from_lines(ocr(text, 100.0), "pdf_text").confidence["vendor"] >= 0.6
    jr = fields_from_lines(ocr(text.replace("焼鳥 Att", "JR東日本")), "ocr")
    assert jr.vendor == "JR東日本" and jr.confidence["vendor"] >= 0.6
