"""The freee client against the fake freee (every request checked against freee's OpenAPI):
uploads with metadata, paging, the error mapping, the one retry after a 401."""

from __future__ import annotations

import datetime as dt

import pytest

from supajobs_receipts.credentials import GrantRevokedError, StaticTokenSource
from supajobs_receipts.freee import (
    FreeeAuthError,
    FreeeClient,
    FreeeForbiddenError,
    FreeeRequestError,
    FreeeThrottledError,
    FreeeUnavailableError,
    UploadFields,
)
from support.freee_fake import FakeFreee, deal

SHA = "ab" * 32
D = dt.date


class Rotating:
    """A TokenSource whose first token has expired early; after_rejection gives the next."""

    provider = "freee"

    def __init__(self, *tokens: str) -> None:
        self.tokens = list(tokens)
        self.rejected: list[str] = []

    def access_token(self) -> str:
        return self.tokens[0]

    def after_rejection(self, rejected: str) -> str:
        self.rejected.append(rejected)
        self.tokens.pop(0)
        return self.tokens[0]


def client(tokens: object = None) -> FreeeClient:
    return FreeeClient(tokens or StaticTokenSource("freee", "good-token"), 1)  # type: ignore[arg-type]


def test_an_upload_carries_the_receipt_metadata_and_its_sha256() -> None:
    fake = FakeFreee()
    fields = UploadFields(sha256=SHA, issue_date=D(2026, 12, 3), amount=1980,
                          partner_name="技術書房", invoice_number="T1234567890123")
    with fake.mocked():
        got = client().upload_receipt(fields, b"%PDF-1.4 x", "r.pdf", "application/pdf")
    row = fake.receipts[got.id]
    assert fake.uploaded[got.id] == b"%PDF-1.4 x"
    assert row["receipt_metadatum"] == {"partner_name": "技術書房", "issue_date": "2026-12-03",
                                        "amount": 1980}
    assert row["qualified_invoice"] == "qualified" and got.sha256() == SHA
    assert "T1234567890123" in row["description"]


def test_an_upload_without_a_t_number_is_unselected_and_lists_no_empty_fields() -> None:
    fake = FakeFreee()
    with fake.mocked():
        got = client().upload_receipt(UploadFields(sha256=SHA), b"x", "r.png", "image/png")
    assert fake.receipts[got.id]["qualified_invoice"] == "unselected"
    assert fake.receipts[got.id]["receipt_metadatum"]["amount"] is None


def test_an_earlier_upload_is_found_by_its_sha256() -> None:
    fake = FakeFreee()
    with fake.mocked():
        c = client()
        first = c.upload_receipt(UploadFields(sha256=SHA), b"x", "r.pdf", "application/pdf")
        c.upload_receipt(UploadFields(sha256="cd" * 32), b"y", "s.pdf", "application/pdf")
        assert c.find_upload(SHA, D(2026, 12, 1), D(2026, 12, 8)).id == first.id  # type: ignore[union-attr]
        assert c.find_upload("ef" * 32, D(2026, 12, 1), D(2026, 12, 8)) is None


def test_deals_are_read_page_by_page_expense_only_in_the_window() -> None:
    fake = FakeFreee()
    for n in range(1, 251):
        fake.deals[n] = deal(n, "2026-11-15", 100 + n)
    fake.deals[999] = {**deal(999, "2026-11-15", 5), "type": "income"}
    fake.deals[998] = deal(998, "2026-10-01", 5)
    with fake.mocked():
        body = client().list_expense_deals(D(2026, 11, 1), D(2026, 11, 30))
    assert len(body["deals"]) == 250 and body["meta"] == {"total_count": 250}
    assert fake.calls("GET /api/1/deals") == 3


def test_a_401_gets_one_fresh_token_and_the_request_again() -> None:
    fake = FakeFreee()
    fake.deals[1] = deal(1, "2026-11-15", 100)
    tokens = Rotating("expired-token", "good-token")
    with fake.mocked():
        assert client(tokens).get_deal(1).id == 1
    assert tokens.rejected == ["expired-token"] and fake.tokens == ["expired-token", "good-token"]


def test_a_second_401_is_an_auth_error_and_a_fixed_token_cannot_be_repaired() -> None:
    fake = FakeFreee()
    with fake.mocked():
        with pytest.raises(FreeeAuthError, match="supajobs auth freee") as caught:
            client(Rotating("bad-1", "bad-2")).get_deal(1)
        assert "bad-" not in str(caught.value)
        with pytest.raises(GrantRevokedError, match="supajobs auth freee"):
            client(StaticTokenSource("freee", "secret-xyz")).get_deal(1)


@pytest.mark.parametrize(("fault", "error", "seconds"), [
    ("throttle403", FreeeThrottledError, 600.0),
    ("429", FreeeThrottledError, 42.0),
    ("forbidden", FreeeForbiddenError, None),
    ("500", FreeeUnavailableError, None),
])
def test_freee_errors_are_sorted_by_what_helps(fault: str, error: type[Exception],
                                                 seconds: float | None) -> None:
    fake = FakeFreee()
    fake.fail("GET /api/1/deals/{id}", fault)
    with fake.mocked(), pytest.raises(error) as caught:
        client().get_deal(1)
    assert "good-token" not in str(caught.value) and "HTTP" in str(caught.value)
    if seconds is not None:
        assert caught.value.seconds == seconds  # type: ignore[attr-defined]


def test_a_missing_deal_is_a_request_error_naming_it() -> None:
    with FakeFreee().mocked(), pytest.raises(FreeeRequestError, match="read deal 7: HTTP 404"):
        client().get_deal(7)


def test_a_timed_out_upload_says_its_outcome_is_unknown_and_a_read_does_not() -> None:
    fake = FakeFreee()
    fake.fail("POST /api/1/receipts", "timeout_after")
    fake.fail("GET /api/1/deals/{id}", "timeout_before")
    with fake.mocked():
        with pytest.raises(FreeeUnavailableError) as upload:
            client().upload_receipt(UploadFields(sha256=SHA), b"x", "r.pdf", "application/pdf")
        with pytest.raises(FreeeUnavailableError) as read:
            client().get_deal(1)
    assert upload.value.outcome_unknown and not read.value.outcome_unknown
    assert len(fake.receipts) == 1  # freee did take it: only a look-up can tell


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="company_id"):
        FreeeClient(StaticTokenSource("freee", "t"), 0)
    with pytest.raises(ValueError, match="sha256"):
        UploadFields(sha256="not-a-hash")
