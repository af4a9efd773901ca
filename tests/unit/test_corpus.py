"""The generated receipt corpus (supajobs_dev.corpus) and its scorer, without any OCR."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from supajobs_dev.corpus import fonts, vendors
from supajobs_dev.corpus.build import build, kinds, receipt
from supajobs_dev.corpus.dates import japanese
from supajobs_dev.corpus.score import Scores, score_file
from supajobs_dev.corpus.truth import KINDS, Receipt
from supajobs_receipts.reading import ReceiptFields, UnreadableReason, UnreadableReceipt
from supajobs_receipts.reading.parse_invoice import check_digit_ok


def _receipts(part: str, n: int = 300) -> list[tuple[str, Receipt]]:
    return [receipt(part, i, kind) for i, kind in enumerate(kinds(part, n))]  # type: ignore[arg-type]


def test_the_same_seed_writes_the_same_files(tmp_path: Path) -> None:
    first = build(tmp_path / "a", "heldout", 4)
    second = build(tmp_path / "b", "heldout", 4)
    assert [p.name for p in first] == [p.name for p in second]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes()
        assert a.with_name(a.name + ".json").read_text() == b.with_name(b.name + ".json").read_text()
    assert build(tmp_path / "c", "tune", 4)[0].read_bytes() != first[0].read_bytes()


def test_tune_and_heldout_share_no_vendor_name() -> None:
    assert not vendors.all_names("tune") & vendors.all_names("heldout")
    tune = {v for _, r in _receipts("tune") for v in r.issuer.accepted}
    held = {v for _, r in _receipts("heldout") for v in r.issuer.accepted}
    assert len(held) > 100
    assert not tune & held


def test_heldout_has_a_font_the_tune_part_never_uses() -> None:
    assert set(fonts.fonts_for("heldout")) - set(fonts.fonts_for("tune"))


def test_kinds_come_in_the_evaluators_mix() -> None:
    assert Counter(kinds("heldout", 100)) == {"pdf": 40, "image": 45, "hard": 15}


@pytest.mark.parametrize("part", ["tune", "heldout"])
def test_every_receipts_arithmetic_holds(part: str) -> None:
    regimes: Counter[str] = Counter()
    for name, r in _receipts(part):
        m = r.money
        regimes[m.regime] += 1
        if m.regime == "outer":
            assert m.total == m.subtotal - m.discount + m.tax, r.lines
            assert all(p.tax == p.base * p.rate // 100 for p in m.parts)
        elif m.regime == "inner":
            assert m.total == m.subtotal - m.discount
            assert sum(p.base for p in m.parts) + m.untaxed == m.total
            assert all(p.tax == p.base * p.rate // (100 + p.rate) for p in m.parts)
        else:
            assert r.tax == 0 and m.parts == ()
        assert r.tax == sum(p.tax for p in m.parts)
        assert any(f"{r.total:,}" in line or str(r.total) in line for line in r.lines), name
    assert min(regimes.values()) >= 10 and len(regimes) == 3
    totals = [r.total for _, r in _receipts(part)]
    assert min(totals) < 500 and max(totals) > 100_000


def test_classes_and_tags_cover_the_failure_classes() -> None:
    tags = Counter(t for name, r in _receipts("heldout") for t in (name, *r.tags))
    for tag in ("brand_branch", "branch_next_line", "outside_tax", "mixed_rate", "untaxed",
                "discount", "points", "ticket", "taxi", "long", "english_invoice", "hotel",
                "handwritten_style_ryoshusho", "extra_date"):
        assert tags[tag] >= 3, tag


def test_registration_numbers_have_valid_check_digits() -> None:
    numbers = [r.invoice_number for _, r in _receipts("heldout")]
    present = [n for n in numbers if n]
    assert 0.7 < len(present) / len(numbers) < 0.95
    assert all(n.startswith("T") and len(n) == 14 and check_digit_ok(n[1:]) for n in present)


def test_reiwa_dates_count_from_2019() -> None:
    rng = random.Random(1)
    seen = {japanese(rng, dt.date(2024, 6, 20), with_time=False) for _ in range(300)}
    assert {"令和6年6月20日", "R6.6.20", "24/06/20", "2024年6月20日(木)"} <= seen


def _truth(accepted: tuple[str, ...], **over: Any) -> dict[str, Any]:
    base = {"date": "2024-06-20", "total": 1100, "tax": 100, "invoice_number": None,
            "vendor": list(accepted), "kind": "image", "tags": [], "class": "shop"}
    return {**base, **over}


def _got(vendor: str | None, review: bool = False, **over: Any) -> ReceiptFields:
    fields = {"date": dt.date(2024, 6, 20), "total": 1100, "tax": 100, "vendor": vendor,
              "invoice_number": None, "needs_review": review, "source": "ocr"}
    return ReceiptFields(**{**fields, **over})


def test_vendor_rules_of_the_scorer() -> None:
    shop = vendors.chain(random.Random(3), "heldout", with_branch=True)
    assert shop.branch is not None
    truth = _truth(shop.accepted)
    right = score_file(Path("x.jpg"), _got(f"{shop.name} {shop.branch}"), truth).right
    assert right["vendor"]
    assert score_file(Path("x.jpg"), _got(f"{shop.name}{shop.branch}"), truth).right["vendor"]
    assert not score_file(Path("x.jpg"), _got(shop.branch), truth).right["vendor"]
    assert not score_file(Path("x.jpg"), _got(shop.name), truth).right["vendor"]
    company = _truth(vendors.company_forms("ミドリ商会", "(株)", "(株)ミドリ商会"))
    for answer in ("(株)ミドリ商会", "株式会社 ミドリ商会", "ミドリ商会", "ミドリ商会株式会社", "\uff08株\uff09ミドリ商会"):
        assert score_file(Path("x.pdf"), _got(answer), company).right["vendor"], answer
    assert not score_file(Path("x.pdf"), _got("有限会社ミドリ商会"), company).right["vendor"]


def test_other_fields_and_flags() -> None:
    truth = _truth(("とんかつ まるや",), tax=0, invoice_number="T1234567890123")
    got = score_file(Path("a.jpg"), _got("とんかつまるや", tax=0, invoice_number=None), truth)
    assert got.right == {"date": True, "total": True, "tax": True, "vendor": True,
                         "invoice_number": False}
    unreadable = UnreadableReceipt(UnreadableReason.OCR_FAILED, "blank")
    lost = score_file(Path("b.jpg"), unreadable, truth)
    assert lost.flagged and not any(lost.right.values())
    clean = score_file(Path("c.jpg"), _got("とんかつ まるや", tax=0, invoice_number="T1234567890123"),
                       truth)
    flagged_right = score_file(Path("d.jpg"), _got("とんかつ まるや", True, tax=0,
                                                   invoice_number="T1234567890123"), truth)
    scores = Scores((got, lost, clean, flagged_right))
    assert scores.field_accuracy() == pytest.approx((4 + 0 + 5 + 5) / 20)
    assert scores.field_accuracy(kind="image", field="invoice_number") == pytest.approx(0.5)
    assert scores.flagged_share == 0.5
    assert scores.flag_precision == 0.5   # lost was wrong, flagged_right was not
    assert scores.flag_recall == 0.5      # got was wrong and not flagged
    assert scores.unflagged_fully_right == 0.5
    assert scores.fully_right == 0.5
    assert set(KINDS) == set(scores.summary()["by_kind"])


def test_every_font_can_print_every_character_the_corpus_uses() -> None:
    chars = {ch for _, r in _receipts("heldout") + _receipts("tune") for line in r.lines
             for ch in line if not ch.isspace()}
    for name in fonts.installed():
        text = fonts.printable("".join(sorted(chars)), name)
        glyphs = fonts._glyphs(name)
        assert not {ch for ch in text if not ch.isspace() and ord(ch) not in glyphs}, name
