"""Attaching a File Box file through PUT /deals/{id}: the deal is sent back whole (the fake
replaces what it is sent, as freee does), so nothing but its files may change."""

from __future__ import annotations

import copy

import pytest

from supajobs_receipts.credentials import StaticTokenSource
from supajobs_receipts.freee import FreeeClient, FreeeRequestError, FreeeUnchangedError
from supajobs_receipts.freee.attach import attach_receipt
from supajobs_receipts.freee.models import FreeeDeal
from support.freee_fake import FakeFreee, deal, detail


def client() -> FreeeClient:
    return FreeeClient(StaticTokenSource("freee", "good-token"), 1)


def rich_deal() -> dict[str, object]:
    """A deal with every part a careless update would lose: two lines with items, sections,
    tags and segments, a partner, a due date, a ref number and a file attached already."""
    found = deal(42, "2026-11-20", 5500, partner_id=9, receipts=[3001],
                 due_date="2026-12-10", ref_number="INV-7")
    found["details"] = [
        detail(420, 5000, item_id=11, section_id=12, tag_ids=[13, 14], segment_1_tag_id=15,
               description="書籍", partner_id=9),
        detail(421, 500, description="送料", vat=45)]
    return found


def test_the_file_is_added_and_nothing_else_of_the_deal_changes() -> None:
    fake = FakeFreee()
    fake.deals[42] = rich_deal()
    before = copy.deepcopy(fake.deals[42])
    with fake.mocked():
        outcome = attach_receipt(client(), 42, 5001)
    after = fake.deals[42]
    assert outcome.action == "attached" and outcome.receipt_ids == [3001, 5001]
    assert [r["id"] for r in after["receipts"]] == [3001, 5001]
    assert after["receipts"][0] == before["receipts"][0]  # the attached file as it was
    assert {k: v for k, v in after.items() if k != "receipts"} == \
        {k: v for k, v in before.items() if k != "receipts"}
    assert fake.calls("GET /api/1/deals/{id}") == 1 and fake.calls("PUT /api/1/deals/{id}") == 1


def test_a_file_attached_already_costs_no_update() -> None:
    fake = FakeFreee()
    fake.deals[42] = rich_deal()
    with fake.mocked():
        outcome = attach_receipt(client(), 42, 3001)
    assert outcome.action == "already_attached" and fake.calls("PUT /api/1/deals/{id}") == 0


def test_an_income_deal_is_never_given_a_receipt() -> None:
    fake = FakeFreee()
    fake.deals[5] = {**deal(5, "2026-11-20", 100), "type": "income"}
    with fake.mocked(), pytest.raises(FreeeRequestError, match="income"):
        attach_receipt(client(), 5, 5001)
    assert fake.calls("PUT /api/1/deals/{id}") == 0


def test_a_change_freee_made_beyond_the_files_is_reported_not_accepted() -> None:
    fake = FakeFreee()
    fake.deals[42] = rich_deal()
    update = fake._update

    def recompute_vat(deal_id: int, request):  # type: ignore[no-untyped-def]
        response = update(deal_id, request)  # e.g. 内税 forced on a deal booked 外税
        fake.deals[deal_id]["details"][1]["vat"] = 37
        return type(response)(200, json={"deal": fake.deals[deal_id]})

    fake._update = recompute_vat  # type: ignore[method-assign]
    with fake.mocked(), pytest.raises(FreeeUnchangedError, match="details"):
        attach_receipt(client(), 42, 5001)


def test_the_update_sends_the_lines_by_id_with_their_fields() -> None:
    sent = FreeeDeal.model_validate(rich_deal()).update_params([3001, 5001])
    assert sent["details"][0] == {"id": 420, "tax_code": 136, "account_item_id": 801,
                                  "amount": 5000, "vat": 454, "partner_id": 9,
                                  "tag_ids": [13, 14], "description": "書籍", "item_id": 11,
                                  "section_id": 12, "segment_1_tag_id": 15}
    assert sent["partner_id"] == 9 and "partner_code" not in sent
    assert (sent["due_date"], sent["ref_number"]) == ("2026-12-10", "INV-7")
