"""The matcher attaches only a clear best, one receipt per deal, and says why otherwise."""

from __future__ import annotations

import datetime as dt

import pytest

from supajobs_receipts.matching import (
    FreeeShapeError,
    MatchSettings,
    MatchStatus,
    ReceiptFacts,
    match_receipts,
    parse_deals,
    parse_partner_records,
    parse_partners,
)
from supajobs_receipts.matching.names import comparable, fold, similarity
from support.freee_deal_bodies import deal, deals_body, partner, partners_body

DAY = dt.date(2026, 11, 5)


def wide(text: str) -> str:
    """Full-width, as card statements print it (ruff rightly flags such letters in source)."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def facts(key: str, total: int | None, vendor: str | None = None, date: dt.date | None = DAY,
          invoice: str | None = None) -> ReceiptFacts:
    return ReceiptFacts(key, date, total, vendor, invoice)


def run(receipts: list[ReceiptFacts], *deals: dict, partners: tuple = (),
        settings: MatchSettings | None = None) -> list:
    return match_receipts(receipts, parse_deals(deals_body(*deals)),
                          parse_partner_records(partners_body(*partners)), settings)


def test_a_unique_amount_on_the_day_is_attached_even_without_a_name() -> None:
    (result,) = run([facts("a.pdf", 1280, "ドトール")], deal(7, "2026-11-06", 1280))
    assert (result.status, result.deal_id, result.candidates) == (MatchStatus.ATTACHED, 7, [7])


def test_the_vendor_decides_between_same_amount_deals() -> None:
    (result,) = run([facts("a.pdf", 980, "スターバックス 渋谷店")],
                    deal(1, "2026-11-05", 980, description="ドトール"),
                    deal(2, "2026-11-06", 980, partner_id=5),
                    partners=(partner(5, "スターバックスコーヒージャパン株式会社"),))
    assert result.status == MatchStatus.ATTACHED and result.deal_id == 2
    assert result.candidates == [2, 1]


def test_two_same_amount_purchases_without_names_are_left_for_a_person() -> None:
    (result,) = run([facts("a.pdf", 500)], deal(1, "2026-11-05", 500), deal(2, "2026-11-06", 500))
    assert result.status == MatchStatus.AMBIGUOUS and result.deal_id is None
    assert set(result.candidates) == {1, 2} and "about as well" in (result.reason or "")


def test_two_receipts_for_one_deal_are_both_left_for_a_person() -> None:
    results = run([facts("a.pdf", 450, "セブン-イレブン"), facts("b.pdf", 450, "セブン-イレブン")],
                  deal(3, "2026-11-05", 450, description="セブンイレブン"))
    assert [r.status for r in results] == [MatchStatus.AMBIGUOUS] * 2
    assert "fits deal 3 about as well" in (results[0].reason or "")


def test_a_better_fitting_receipt_keeps_the_deal_and_the_other_is_not_moved() -> None:
    results = run([facts("a.pdf", 450, "ローソン"), facts("b.pdf", 450, "ファミリーマート")],
                  deal(3, "2026-11-05", 450, description="ローソン 新宿店"),
                  deal(4, "2026-11-06", 450, description="ローソン"))
    assert results[0].status == MatchStatus.AMBIGUOUS  # two ローソン deals fit a alike
    assert results[1].status == MatchStatus.AMBIGUOUS  # b fits neither by name


def test_a_deal_that_already_has_a_receipt_is_not_given_another() -> None:
    (result,) = run([facts("a.pdf", 3300, "Amazon.co.jp")],
                    deal(9, "2026-11-05", 3300, description=wide("AMAZON.CO.JP"),
                         receipts=[77]))
    assert result.status == MatchStatus.AMBIGUOUS and result.candidates == [9]
    assert "already has a receipt" in (result.reason or "")


def test_income_deals_other_amounts_and_far_dates_are_never_candidates() -> None:
    (result,) = run([facts("a.pdf", 1000, "x")], deal(1, "2026-11-05", 1000, kind="income"),
                    deal(2, "2026-11-05", 1001), deal(3, "2026-11-20", 1000),
                    deal(4, "2026-10-30", 1000))
    assert result.status == MatchStatus.NO_MATCH and result.candidates == []
    assert "no expense deal of 1000 yen" in (result.reason or "")


def test_tolerance_and_window_are_the_users() -> None:
    settings = MatchSettings(amount_tolerance_yen=220, days_before=0, days_after=14)
    (result,) = run([facts("a.pdf", 10000, "AWS")],
                    deal(1, "2026-11-08", 10110, description="AWS EMEA"), settings=settings)
    assert result.status == MatchStatus.ATTACHED and result.deal_id == 1
    (late,) = run([facts("a.pdf", 10000, "AWS")], deal(1, "2026-11-04", 10000), settings=settings)
    assert late.status == MatchStatus.NO_MATCH


def test_a_registration_number_equal_to_the_partners_is_the_same_vendor() -> None:
    (result,) = run([facts("a.pdf", 2200, "ｶﾌｪ", invoice="T7011001055620")],
                    deal(1, "2026-11-05", 2200, partner_id=8),
                    deal(2, "2026-11-05", 2200, partner_id=9),
                    partners=(partner(8, "喫茶ルノアール", invoice_number="T7011001055620"),
                              partner(9, "珈琲館")))
    assert result.status == MatchStatus.ATTACHED and result.deal_id == 1


def test_an_unread_receipt_is_no_match_with_its_reason() -> None:
    (result,) = run([facts("a.pdf", None, "x")], deal(1, "2026-11-05", 100))
    assert result.status == MatchStatus.NO_MATCH and "not read" in (result.reason or "")


def test_names_fold_width_kana_legal_forms_and_branches() -> None:
    assert fold(wide("AMAZON.CO.JP")) == fold("Amazon.co.jp") == "amazoncojp"
    assert fold("株式会社 すき家") == fold("(株)スキ家") == fold("すき家 (有)") == "スキ家"
    assert similarity("セブン-イレブン 渋谷道玄坂店", wide("セブン-イレブン")) >= 0.85
    assert similarity("ドトール", "スターバックス") < 0.3


@pytest.mark.parametrize(("body", "problem"), [
    ([], "expected an object with a 'deals' list"),
    ({"deals": {}}, "'deals' list"),
    ({"deals": [{"id": 1}]}, r"deals\[0\]\.company_id: Field required \(and"),
    (deals_body(deal(1, "2026-11-05", 1), {**deal(2, "x", 1)}), r"deals\[1\]\.issue_date"),
    (deals_body({**deal(1, "2026-11-05", 1), "type": "transfer"}), r"deals\[0\]\.type"),
])
def test_a_body_that_is_not_freees_is_named(body: object, problem: str) -> None:
    with pytest.raises(FreeeShapeError, match=problem):
        parse_deals(body)


def test_partners_parse_and_refuse() -> None:
    assert parse_partners(partners_body(partner(5, "A社"))) == {5: "A社"}
    with pytest.raises(FreeeShapeError, match=r"partners\[0\]\.name"):
        parse_partners({"partners": [{"id": 5}]})


def test_settings_refuse_nonsense() -> None:
    with pytest.raises(ValueError, match="0 or more"):
        MatchSettings(amount_tolerance_yen=-1)
    with pytest.raises(ValueError, match="min_score"):
        MatchSettings(min_score=0)


def test_names_in_different_scripts_are_neither_alike_nor_different() -> None:
    assert not comparable("紀伊國屋書店", "キノクニヤ") and comparable("ドトール", "スターバックス")
    (result,) = run([facts("a.pdf", 3300, "紀伊國屋書店")],
                    deal(2, "2026-11-06", 3300, description="キノクニヤ"))
    assert result.status == MatchStatus.ATTACHED
    (weak,) = run([facts("a.pdf", 3300, "ドトール")],
                  deal(2, "2026-11-06", 3300, description="スターバックス"))
    assert weak.status == MatchStatus.AMBIGUOUS and "weakly" in (weak.reason or "")
