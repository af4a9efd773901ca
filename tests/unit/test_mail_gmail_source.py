"""GmailSource against the Gmail fake (every request and answer checked against gmail.v1.json)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from email.message import EmailMessage

import httpx
import pytest

from supajobs_receipts.credentials import GrantMissingError, GrantRevokedError
from supajobs_receipts.google_api import GoogleHttp, RetryPolicy
from supajobs_receipts.mail import (
    DEFAULT_GMAIL_QUERY,
    GmailApiError,
    GmailCheckpoint,
    GmailSettings,
    GmailSource,
    MailAuthError,
)
from supajobs_receipts.mail.gmail_api import GmailApi
from support.gmail_fake import FakeGmail, mocked_gmail
from support.google_contract import google_error
from support.google_tokens import CountingTokens, NoGrant

ADDRESS = "freelancer@gmail.com"
NOW = 1_790_000_000


def mail(n: int) -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "shop@example.jp", ADDRESS, f"領収書 {n}"
    msg["Message-ID"] = f"<gmail-{n}@example.jp>"
    msg.set_content("ご購入ありがとうございます")
    msg.add_attachment(b"%%PDF-1.4 receipt %d" % n, maintype="application", subtype="pdf",
                       filename=f"r{n}.pdf")
    return msg.as_bytes()


@pytest.fixture
def fake() -> Iterator[FakeGmail]:
    gmail = FakeGmail(ADDRESS)
    with mocked_gmail(gmail):
        yield gmail


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def source(tokens: object | None = None, sleeps: Sleeps | None = None, **settings: object
           ) -> GmailSource:
    config = GmailSettings(address=ADDRESS, page_size=2, **settings)  # type: ignore[arg-type]
    http = GoogleHttp("gmail", tokens or CountingTokens(),  # type: ignore[arg-type]
                      policy=RetryPolicy(max_wait=30),
                      sleep=Sleeps() if sleeps is None else sleeps)
    return GmailSource(config, http.tokens, api=GmailApi(config, http), clock=lambda: NOW)


def test_first_run_scans_by_query_over_pages_and_labels_after(fake: FakeGmail) -> None:
    ids = [fake.add(mail(n), internal_s=NOW - 100 + n) for n in range(5)]
    fake.add(b"Subject: newsletter\r\n\r\nhi", receipt=False)
    src = source()
    messages, point = src.fetch_new(None)
    assert sorted(m.key for m in messages) == sorted(ids)
    assert {m.subject for m in messages} == {f"領収書 {n}" for n in range(5)}
    assert point.full_scan_done and point.page_token is None and point.pending == ()
    assert point.history_id == "1006" and point.synced_at == NOW
    assert fake.queries == [f"({DEFAULT_GMAIL_QUERY}) -label:supajobs-processed"] * 3
    assert all(fake.label_of(i) == ["INBOX"] for i in ids)  # not before email_scan says so
    assert src.mark_done(messages) == 5
    assert all(fake.label_of(i) == ["INBOX", "supajobs/processed"] for i in ids)
    src.mark_done(messages)
    assert fake.counts["gmail.users.labels.create"] == 1  # created once


def test_a_large_mailbox_is_taken_over_several_runs(fake: FakeGmail) -> None:
    ids = {fake.add(mail(n)) for n in range(7)}
    src = source(max_messages=3)
    first, point = src.fetch_new(None)
    assert len(first) == 3 and not point.full_scan_done and point.page_token is not None
    second, point = src.fetch_new(point)
    third, point = src.fetch_new(point)
    taken = [m.key for m in first + second + third]
    assert sorted(taken) == sorted(ids) and len(set(taken)) == 7
    assert point.full_scan_done and point.pending == ()


def test_incremental_run_reads_history_and_keeps_only_what_the_query_lists(
        fake: FakeGmail) -> None:
    fake.add(mail(1))
    src = source()
    _, point = src.fetch_new(None)
    new = fake.add(mail(2), internal_s=NOW + 60)
    fake.add(b"Subject: chat\r\n\r\nhello", receipt=False, internal_s=NOW + 61)
    messages, after = src.fetch_new(point)
    assert [m.key for m in messages] == [new]
    assert fake.queries[-1] == f"({DEFAULT_GMAIL_QUERY}) after:{NOW - 2 * 86400}"
    assert after.history_id == str(fake.history_id) and after.full_scan_done
    nothing, again = src.fetch_new(after)
    assert nothing == [] and again.history_id == after.history_id
    assert fake.counts["gmail.users.messages.list"] == 2  # no list call for empty history


def test_history_too_old_falls_back_to_a_full_scan(fake: FakeGmail, caplog: pytest.LogCaptureFixture
                                                   ) -> None:
    first = fake.add(mail(1))
    src = source()
    taken, point = src.fetch_new(None)
    src.mark_done(taken)
    second = fake.add(mail(2))
    fake.oldest_history = 10**9  # Gmail forgot everything before now
    with caplog.at_level(logging.WARNING):
        messages, after = src.fetch_new(point)
    assert [m.key for m in messages] == [second] and first != second
    assert "too old" in caplog.text
    assert after.full_scan_done and after.history_id == str(fake.history_id)


def test_message_deleted_between_list_and_get_is_skipped(fake: FakeGmail,
                                                         caplog: pytest.LogCaptureFixture) -> None:
    keep, gone = fake.add(mail(1)), fake.add(mail(2), internal_s=NOW + 5)  # newest: got first
    fake.fail("messages.get", lambda: google_error(404, "Requested entity was not found.",
                                                   "notFound"))
    with caplog.at_level(logging.INFO):
        messages, _ = source().fetch_new(None)
    assert [m.key for m in messages] == [keep]
    assert gone in caplog.text and "deleted" in caplog.text


def test_already_labelled_mail_is_not_taken_twice(fake: FakeGmail) -> None:
    one = fake.add(mail(1))
    src = source()
    taken, point = src.fetch_new(None)
    src.mark_done(taken)
    fake.add(mail(2))
    again = point.model_copy(update={"history_id": "1000"})  # an old checkpoint came back
    messages, _ = src.fetch_new(again)
    assert one not in [m.key for m in messages] and len(messages) == 1


def test_429_retry_after_is_honoured_then_the_scan_goes_on(fake: FakeGmail) -> None:
    fake.add(mail(1))
    sleeps = Sleeps()
    fake.fail("messages.get", lambda: google_error(429, "Too many requests", "rateLimitExceeded",
                                                   headers={"Retry-After": "7"}),
              lambda: google_error(503, "Backend Error", "backendError"),
              lambda: google_error(500, "Backend Error", "backendError"))
    messages, _ = source(sleeps=sleeps).fetch_new(None)
    assert len(messages) == 1 and sleeps == [7.0, 1.0, 2.0]


def test_throttling_longer_than_the_bound_is_a_retryable_error_with_the_wait(
        fake: FakeGmail) -> None:
    fake.add(mail(1))
    fake.fail("messages.list", lambda: google_error(
        429, "Quota exceeded for quota metric 'Queries'", "rateLimitExceeded",
        headers={"Retry-After": "120"}))
    with pytest.raises(GmailApiError, match="429 rateLimitExceeded") as caught:
        source().fetch_new(None)
    assert caught.value.retryable and caught.value.retry_after == 120.0


def test_throttling_403_is_transient_but_a_permission_403_is_not(fake: FakeGmail) -> None:
    fake.add(mail(1))
    sleeps = Sleeps()
    fake.fail("messages.list", lambda: google_error(403, "User rate limit", "userRateLimitExceeded"))
    assert len(source(sleeps=sleeps).fetch_new(None)[0]) == 1 and sleeps == [1.0]
    fake.fail("getProfile", lambda: google_error(403, "Insufficient Permission",
                                                 "insufficientPermissions"))
    with pytest.raises(MailAuthError, match="Insufficient Permission") as caught:
        source().fetch_new(None)
    assert not caught.value.retryable


def test_token_expiry_mid_scan_renews_once_and_goes_on(fake: FakeGmail) -> None:
    ids = [fake.add(mail(n)) for n in range(3)]
    tokens = CountingTokens()
    fake.valid_tokens = {tokens.current}
    src = source(tokens)
    fake.fail("messages.get", lambda: _rotate(fake, tokens))  # expires before the first get
    messages, _ = src.fetch_new(None)
    assert sorted(m.key for m in messages) == sorted(ids)
    assert tokens.rejections == ["ya29.secret-token-1"] and tokens.number == 2


def _rotate(fake: FakeGmail, tokens: CountingTokens) -> httpx.Response:
    fake.valid_tokens = {f"ya29.secret-token-{tokens.number + 1}"}
    return google_error(401, "Request had invalid authentication credentials.", "authError")


def test_a_token_rejected_again_or_revoked_is_not_retryable(fake: FakeGmail) -> None:
    fake.valid_tokens = set()  # nothing works
    with pytest.raises(MailAuthError) as caught:
        source(CountingTokens()).fetch_new(None)
    assert not caught.value.retryable and "secret-token" not in str(caught.value)
    with pytest.raises(MailAuthError, match="supajobs auth google") as revoked:
        source(CountingTokens(revoked_after=0)).fetch_new(None)
    assert not revoked.value.retryable


def test_a_missing_grant_says_how_to_connect(fake: FakeGmail) -> None:
    with pytest.raises(MailAuthError, match="run `supajobs auth google`"):
        source(NoGrant(GrantMissingError("google"))).fetch_new(None)
    with pytest.raises(MailAuthError, match="re-authorise"):
        source(NoGrant(GrantRevokedError("google", "invalid_grant"))).fetch_new(None)


def test_a_token_for_another_account_cannot_move_this_checkpoint(fake: FakeGmail) -> None:
    fake.address = "someone.else@gmail.com"
    with pytest.raises(MailAuthError, match=r"someone\.else@gmail\.com"):
        source().fetch_new(None)


def test_label_created_by_another_worker_meanwhile_is_used(fake: FakeGmail) -> None:
    fake.add(mail(1))
    src = source()
    messages, _ = src.fetch_new(None)
    assert fake.labels == {"supajobs/processed": "Label_1"}
    other = source()
    fake.fail("labels.list", lambda: httpx.Response(200, json={"labels": []}))  # stale list
    other.mark_done(messages)
    assert fake.counts["gmail.users.labels.create"] == 2 and len(fake.labels) == 1


def test_broken_raw_content_is_a_protocol_error(fake: FakeGmail) -> None:
    one = fake.add(mail(1))
    fake.fail("messages.get", lambda: httpx.Response(200, json={"id": one, "labelIds": []}))
    with pytest.raises(Exception, match="without its raw content") as caught:
        source().fetch_new(None)
    assert caught.value.retryable  # type: ignore[attr-defined]


def test_checkpoint_rejects_junk() -> None:
    with pytest.raises(ValueError, match="history_id"):
        GmailCheckpoint.model_validate({"history_id": "x; drop", "synced_at": 0})
