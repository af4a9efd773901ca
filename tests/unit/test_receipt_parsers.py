"""The text parsers: dates, totals, tax, vendor, registration number, on hand-written lines."""
# ruff: noqa: RUF001 - full-width digits and punctuation are what these tests are about

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from supajobs_receipts.reading.normalize import normalize_line, normalize_lines
from supajobs_receipts.reading.parse_amount import parse_total
from supajobs_receipts.reading.parse_date import parse_date
from supajobs_receipts.reading.parse_invoice import check_digit_ok, parse_invoice_number
from supajobs_receipts.reading.parse_tax import parse_tax, tax_consistent
from supajobs_receipts.reading.parse_vendor import parse_vendor


def lines(text: str) -> list[str]:
    return normalize_lines(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024年6月20日(木) 12:34", dt.date(2024, 6, 20)),
        ("2024/06/20 23:10", dt.date(2024, 6, 20)),
        ("2024-06-20", dt.date(2024, 6, 20)),
        ("2024.06.20 08:15", dt.date(2024, 6, 20)),
        ("R6.6.20", dt.date(2024, 6, 20)),
        ("令和6年6月20日", dt.date(2024, 6, 20)),
        ("令和元年5月1日", dt.date(2019, 5, 1)),
        ("平成31年4月30日", dt.date(2019, 4, 30)),
        ("H30.1.5", dt.date(2018, 1, 5)),
        ("２０２４年６月２０日", dt.date(2024, 6, 20)),
        ("2024 年 6 月 20 日", dt.date(2024, 6, 20)),
        ("Invoice Date: June 3, 2024", dt.date(2024, 6, 3)),
        ("24/06/20 12:34", dt.date(2024, 6, 20)),
    ],
)
def test_date_formats(text: str, expected: dt.date) -> None:
    found = parse_date(lines(text))
    assert found is not None
    assert found.value == expected
    assert found.confidence >= 0.6


def test_date_prefers_the_issue_date_over_periods_and_due_dates() -> None:
    text = "ご利用期間 2024年6月1日〜2024年6月30日\nお支払期限 2024年7月31日\n請求日 2024年7月1日"
    found = parse_date(lines(text))
    assert found is not None
    assert found.value == dt.date(2024, 7, 1)


def test_impossible_dates_are_ignored() -> None:
    assert parse_date(lines("2024年2月30日\n令和6年13月1日")) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("小計 ¥620\n合計 ¥620\nお預り ¥1,000\nお釣り ¥380", 620),
        ("合計\n¥1,035", 1035),
        ("合計 １，２３４円", 1234),
        ("税込合計 ¥3,520\nクレジット ¥3,520", 3520),
        ("小計 1,429円\n消費税(10%) 142円\nご請求金額 1,571円", 1571),
        ("Charges ¥5,000\nConsumption Tax (10%) ¥500\nTotal Amount Due (JPY) ¥5,500", 5500),
        ("合計 ¥1,500 (内消費税 ¥136)", 1500),
        ("合計 \\3, 300", 3300),
        ("合計点数 3点\n合計 ¥980", 980),
    ],
)
def test_total(text: str, expected: int) -> None:
    found = parse_total(lines(text))
    assert found is not None
    assert found.value == expected
    assert found.confidence >= 0.6


def test_total_without_keyword_is_low_confidence() -> None:
    found = parse_total(lines("お買い物\nりんご ¥200\nみかん ¥300"))
    assert found is not None
    assert found.value == 300
    assert found.confidence < 0.6


def test_no_amount_no_total() -> None:
    assert parse_total(lines("TEL 03-1234-5678\n2024/06/20 12:34\n乗務員 123456")) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(8%対象 ¥290 内消費税 ¥21)\n(10%対象 ¥330 内消費税 ¥30)\n合計 ¥620", 51),
        ("消費税(10%) ¥320", 320),
        ("内消費税等 ￥１，１６３", 1163),
        ("10%対象 ¥1,000 消費税 ¥100\n8%対象 ¥500 消費税 ¥37\n消費税等合計 ¥137", 137),
        ("内税\n¥80", 80),
        ("Consumption Tax (10%) ¥500", 500),
    ],
)
def test_tax(text: str, expected: int) -> None:
    found = parse_tax(lines(text))
    assert found is not None
    assert found.value == expected


def test_tax_consistency_bounds_cover_both_rates() -> None:
    assert tax_consistent(100, 1100)  # 10 %
    assert tax_consistent(40, 540)  # 8 % reduced rate
    assert not tax_consistent(300, 1100)
    assert not tax_consistent(10, 1100)


def test_invoice_number_with_valid_check_digit() -> None:
    found = parse_invoice_number(lines("登録番号 T7011001055620"))
    assert found is not None
    assert found.value == "T7011001055620"
    assert found.confidence >= 0.9


def test_invoice_number_spaced_full_width_and_hyphenated() -> None:
    for text in ("登録番号：Ｔ７０１１００１０５５６２０", "T7-0110-0105-5620", "T 7011 0010 5562 0"):
        found = parse_invoice_number(lines(text))
        assert found is not None, text
        assert found.value == "T7011001055620"


def test_invoice_number_with_bad_check_digit_is_doubtful() -> None:
    found = parse_invoice_number(lines("登録番号 T1011001055620"))
    assert found is not None
    assert found.confidence < 0.6


def test_invoice_number_lost_t_recovered_only_when_labelled() -> None:
    labelled = parse_invoice_number(lines("登録番号 7011001055620"))
    assert labelled is not None
    assert labelled.value == "T7011001055620"
    assert parse_invoice_number(lines("注文番号 7011001055620")) is None


def test_check_digit_matches_a_published_corporate_number() -> None:
    assert check_digit_ok("7000012050002")  # 国税庁's own corporate number
    assert not check_digit_ok("7000012050003")
    assert not check_digit_ok("12345")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("領収書\n山田 太郎 様\n¥3,300-\n有限会社 さくら食堂", "有限会社さくら食堂"),
        ("(株)日本交通\n東京都千代田区紀尾井町3-12", "(株)日本交通"),
        ("㈱日本交通", "(株)日本交通"),
        ("請求書\n株式会社お客様 御中\nさくらインターネット株式会社", "さくらインターネット株式会社"),
        ("珈琲館 神保町店\n東京都千代田区神田神保町1-2\n2019/04/30", "珈琲館神保町店"),
        ("Amazon Web Services Japan G.K.\nInvoice", "Amazon Web Services Japan G.K."),
        ("販売: アマゾンジャパン合同会社", "アマゾンジャパン合同会社"),
    ],
)
def test_vendor(text: str, expected: str) -> None:
    found = parse_vendor(lines(text))
    assert found is not None
    assert found.value == expected
    assert found.confidence >= 0.6


def test_vendor_guess_from_a_bare_top_line_is_low_confidence() -> None:
    found = parse_vendor(lines("まるやま\n2024/06/20\n合計 ¥500"))
    assert found is not None
    assert found.confidence < 0.6


def test_normalize_joins_ocr_spacing() -> None:
    assert normalize_line("合 計 ¥ 1 , 234") == "合計¥1,234"
    assert normalize_line("お預り ¥1, 000") == "お預り¥1,000"
    assert normalize_line("( 株 ) 日本 交通") == "(株)日本交通"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_parsers_never_raise_on_arbitrary_text(text: str) -> None:
    parsed = lines(text)
    for parser in (parse_date, parse_total, parse_tax, parse_vendor, parse_invoice_number):
        result = parser(parsed)
        assert result is None or 0.0 <= result.confidence <= 1.0


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(
    ["合計", "¥", "1,234", "円", "令和", "6", "年", "月", "日", "T", "0123456789012", "消費税",
     "(", ")", "%", "8", "10", "株式会社", "様", "\n", " ", "R", ".", "/", "-"]), max_size=40))
def test_parsers_never_raise_on_receipt_like_fragments(parts: list[str]) -> None:
    parsed = lines("".join(parts))
    for parser in (parse_date, parse_total, parse_tax, parse_vendor, parse_invoice_number):
        result = parser(parsed)
        assert result is None or 0.0 <= result.confidence <= 1.0


def test_english_pass_digits_replace_japanese_misreads() -> None:
    from supajobs_receipts.reading.ocr_digits import BoxedLine, merge_digits

    japanese = [BoxedLine("登録 番号 T8019491099474", 77.0, 637, 708),
                BoxedLine("2024 年 6 月 26 日", 90.0, 720, 760)]
    english = [BoxedLine("SRBS 18010401099474", 25.0, 645, 695),  # T read as 1
               BoxedLine("2024%6820R", 40.0, 722, 758)]  # runs do not line up: left alone
    merged = merge_digits(japanese, english)
    assert merged[0].text == "登録 番号 T8010401099474"
    assert merged[1].text == "2024 年 6 月 26 日"
