"""Duplicate plans: exact, likely and perceptual matches; a deterministic keeper; no deletes."""

from __future__ import annotations

import io
import random
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFilter

from supajobs_receipts.dedup import (
    compute_phashes,
    hamming,
    image_phash,
    normalize_vendor,
    plan_duplicates,
)
from supajobs_receipts.dedup.perceptual import DEFAULT_THRESHOLD
from supajobs_receipts.storage import LocalFileStore
from unit.organize_factory import make_receipt


def test_no_duplicates_gives_empty_plan() -> None:
    records = [make_receipt(1, total=100), make_receipt(2, total=200)]
    plan = plan_duplicates(records)
    assert (plan.kept, plan.duplicates) == ((), ())


def test_exact_duplicates_share_sha() -> None:
    a = make_receipt(1, data=b"same", received_at=datetime(2024, 6, 2, tzinfo=UTC))
    b = make_receipt(2, data=b"same", received_at=datetime(2024, 6, 1, tzinfo=UTC), total=9)
    plan = plan_duplicates([a, b])
    assert plan.kept == ("r2",)  # earliest received wins
    (dup,) = plan.duplicates
    assert (dup.receipt_id, dup.kept_id, dup.reason) == ("r1", "r2", "exact")
    assert plan.kept_for("r1") == "r2"
    assert plan.kept_for("r2") is None


def test_likely_duplicates_by_date_total_and_normalized_vendor() -> None:
    pdf = make_receipt(1, vendor="株式会社ＡＢＣ", received_at=datetime(2024, 7, 1, tzinfo=UTC))
    img = make_receipt(
        2,
        vendor="(株) abc",
        content_type="image/jpeg",
        stored_path="2024/06/b.jpg",
        received_at=datetime(2024, 6, 1, tzinfo=UTC),
    )
    plan = plan_duplicates([img, pdf])
    assert plan.kept == ("r1",)  # the PDF beats the earlier photo
    (dup,) = plan.duplicates
    assert (dup.receipt_id, dup.reason) == ("r2", "likely")


def test_a_plan_has_no_way_to_delete() -> None:
    a, b = make_receipt(1), make_receipt(2, stored_path="2024/06/other.pdf")
    (dup,) = plan_duplicates([a, b]).duplicates
    assert set(vars(dup)) == {"receipt_id", "kept_id", "reason"}  # a suggestion, no action


@pytest.mark.parametrize(
    "other",
    [
        {"total": 1235},
        {"date": date(2024, 6, 21)},
        {"vendor": "ドトール"},
        {"vendor": None},
        {"total": None},
    ],
)
def test_different_or_unknown_fields_are_not_likely_duplicates(other: dict[str, object]) -> None:
    plan = plan_duplicates([make_receipt(1), make_receipt(2, **other)])
    assert plan.duplicates == ()


def test_groups_are_transitive_and_keeper_is_deterministic() -> None:
    a = make_receipt(1, data=b"x")
    b = make_receipt(2, data=b"x", vendor="other", total=1)
    c = make_receipt(3, data=b"y")  # likely duplicate of a
    first = plan_duplicates([a, b, c])
    second = plan_duplicates([c, b, a])
    assert first == second
    assert first.kept == ("r1",)
    assert [(d.receipt_id, d.reason) for d in first.duplicates] == [
        ("r2", "exact"),
        ("r3", "likely"),
    ]


def test_ids_must_be_unique() -> None:
    with pytest.raises(ValueError, match="unique"):
        plan_duplicates([make_receipt(1), make_receipt(1)])


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("株式会社ＡＢＣ", "abc"),
        ("㈱ABC", "abc"),
        ("ABC Co., Ltd.", "abc"),
        ("Amazon Web Services, Inc.", "amazonwebservices"),
        ("  ", None),
        (None, None),
    ],
)
def test_normalize_vendor(raw: str | None, key: str | None) -> None:
    assert normalize_vendor(raw) == key


def _receipt_image(lines: list[str], seed: int) -> Image.Image:
    rng = random.Random(seed)
    image = Image.new("L", (320, 480), 255)
    draw = ImageDraw.Draw(image)
    y = 20
    for line in lines:
        draw.text((20, y), line, fill=0)
        y += 28
    for _ in range(30):  # logo-ish blocks make the layout distinctive
        x0, y0 = rng.randrange(0, 300), rng.randrange(0, 460)
        draw.rectangle((x0, y0, x0 + rng.randrange(5, 40), y0 + rng.randrange(5, 20)), fill=0)
    return image


def _encode(image: Image.Image, fmt: str, **kw: object) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **kw)
    return out.getvalue()


def test_perceptual_hash_matches_reencoded_copy_not_other_receipt(tmp_path: Path) -> None:
    original = _receipt_image(["STARBUCKS", "2024/06/20", "TOTAL 1,234"], seed=1)
    copy = original.resize((300, 450)).filter(ImageFilter.GaussianBlur(0.8))
    other = _receipt_image(["DOUTOR", "2024/06/20", "TOTAL 1,234"], seed=2)
    store = LocalFileStore(tmp_path)
    files = {
        "r1": store.put(_encode(original, "PNG"), "a.png").path,
        "r2": store.put(_encode(copy, "JPEG", quality=60), "b.jpg").path,
        "r3": store.put(_encode(other, "PNG"), "c.png").path,
    }
    records = [
        make_receipt(1, content_type="image/png", stored_path=files["r1"], vendor="A"),
        make_receipt(2, content_type="image/jpeg", stored_path=files["r2"], vendor="B"),
        make_receipt(3, content_type="image/png", stored_path=files["r3"], vendor="C"),
        make_receipt(4, stored_path="missing.png", content_type="image/png", vendor="D"),
    ]
    hashes = compute_phashes(records, store)
    assert set(hashes) == {"r1", "r2", "r3"}
    assert hamming(hashes["r1"], hashes["r2"]) <= DEFAULT_THRESHOLD
    assert hamming(hashes["r1"], hashes["r3"]) > DEFAULT_THRESHOLD
    plan = plan_duplicates(records, phashes=hashes)
    assert [(d.receipt_id, d.kept_id, d.reason) for d in plan.duplicates] == [
        ("r2", "r1", "perceptual")
    ]
    # Same picture, but the receipts disagree on the total: different purchases.
    differing = [records[0], records[1].model_copy(update={"total": 99})]
    assert plan_duplicates(differing, phashes=hashes).duplicates == ()


def test_unreadable_images_have_no_hash() -> None:
    assert image_phash(b"") is None
    assert image_phash(b"%PDF-1.4 not an image") is None
    with pytest.raises(ValueError, match="length"):
        hamming("ab", "abc")


def test_same_template_different_purchase_is_kept_apart() -> None:
    # pHash cannot see small text changes on one shop's template: the fields must decide.
    first = _receipt_image(["STARBUCKS", "2024/06/20", "TOTAL 1,234"], seed=1)
    second = _receipt_image(["STARBUCKS", "2024/06/21", "TOTAL 980"], seed=1)
    hashes = {"r1": image_phash(_encode(first, "PNG")), "r2": image_phash(_encode(second, "PNG"))}
    assert hamming(hashes["r1"] or "", hashes["r2"] or "") <= DEFAULT_THRESHOLD
    records = [
        make_receipt(1, content_type="image/png", stored_path="a.png"),
        make_receipt(
            2, content_type="image/png", stored_path="b.png", total=980, date=date(2024, 6, 21)
        ),
    ]
    phashes = {k: v for k, v in hashes.items() if v}
    assert plan_duplicates(records, phashes=phashes).duplicates == ()
