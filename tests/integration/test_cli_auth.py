"""`supajobs auth freee|google` end to end through the real CLI entry: the test plays the
browser (follows the printed URL's redirect_uri with code and state to the loopback server),
the token endpoint and freee's company list are mocked per RFC 6749/7636; the grant lands in
the real database. Wrong state, a denied consent or an unclear company store nothing."""

from __future__ import annotations

import re
import threading
import time
import urllib.request
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import psycopg
import pytest
import respx

from supajobs.cli.main import main
from support.dovecot_process import free_port
from support.oauth_contract import FREEE_TOKEN, GOOGLE_TOKEN, check_code_request, token_response
from support.receipts_sql import call
from support.rpc import service_connection

COMPANIES = "https://api.freee.co.jp/api/1/companies"
ONE_COMPANY = {"companies": [{"id": 1234, "name": "山田事務所", "name_kana": "ヤマダジムショ",
                              "display_name": "山田事務所", "role": "admin"}]}
TWO = {"companies": ONE_COMPANY["companies"] + [{"id": 99, "name": "副業", "name_kana": None,
                                                 "display_name": "副業", "role": "admin"}]}


@pytest.fixture(autouse=True)
def env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUPAJOBS_DB_ROLE", "service_role")
    for p in ("FREEE", "GOOGLE"):
        monkeypatch.setenv(f"SUPAJOBS_{p}_CLIENT_ID", f"{p.lower()}-client")
        monkeypatch.setenv(f"SUPAJOBS_{p}_CLIENT_SECRET", f"{p.lower()}-secret-value")


class Consent:
    """Runs the command in a thread and plays the browser."""

    def __init__(self, capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
        self.capsys, self.out, self.err, self.code = capsys, "", "", None  # type: Any
        self.thread = threading.Thread(target=self._run, args=(argv,))
        self.thread.start()

    def _run(self, argv: list[str]) -> None:
        self.code = main(argv)

    def _read(self) -> None:
        got = self.capsys.readouterr()
        self.out, self.err = self.out + got.out, self.err + got.err

    def url(self) -> str:
        for _ in range(200):
            self._read()
            found = re.search(r"https://\S+", self.out + self.err)
            if found:
                return found.group(0)
            time.sleep(0.05)
        raise AssertionError(f"no URL printed: {self.out!r} {self.err!r}")

    def redirect(self, url: str, **params: str) -> int:
        query = parse_qs(urlsplit(url).query)
        target = query["redirect_uri"][0] + "?" + urlencode(params)
        with urllib.request.urlopen(target, timeout=10) as answer:
            return int(answer.status)

    def finish(self) -> int:
        self.thread.join(30)
        self._read()
        return int(self.code)


def token_endpoint(mock: respx.MockRouter, url: str, client_id: str,
                   challenge: dict[str, str]) -> respx.Route:
    def answer(request: httpx.Request) -> httpx.Response:
        check_code_request(request, client_id, challenge["redirect_uri"],
                           challenge["code_challenge"])
        return token_response("at-consent-secret", refresh="rt-consent-secret",
                              expires_in=21600, scope="read write")
    return mock.post(url).mock(side_effect=answer)


def stored(db_url: str) -> list[dict[str, Any]]:
    with service_connection(db_url) as svc:
        return call(svc, "grant_status")


def test_freee_consent_stores_the_grant_and_the_company(
        capsys: pytest.CaptureFixture[str], db_url: str) -> None:
    challenge: dict[str, str] = {}
    with respx.mock() as mock:
        route = token_endpoint(mock, FREEE_TOKEN, "freee-client", challenge)
        companies = mock.get(COMPANIES).mock(return_value=httpx.Response(200, json=ONE_COMPANY))
        run = Consent(capsys, ["--json", "--db-url", db_url, "auth", "freee", "--no-browser",
                               "--timeout", "20"])
        url = run.url()
        query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
        assert url.startswith("https://accounts.secure.freee.co.jp/public_api/authorize?")
        assert query["response_type"] == "code" and query["client_id"] == "freee-client"
        assert query["code_challenge_method"] == "S256" and len(query["state"]) >= 32
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", query["redirect_uri"])
        challenge.update(query)
        assert run.redirect(url, code="the-code", state=query["state"]) == 200
        assert run.finish() == 0, run.err
        assert route.call_count == 1
        assert companies.calls[0].request.headers["authorization"] == "Bearer at-consent-secret"
    [grant] = stored(db_url)
    assert grant["provider"] == "freee" and grant["extra"] == {"company_id": 1234}
    assert grant["account"] == "山田事務所" and grant["scopes"] == ["read", "write"]
    with psycopg.connect(db_url) as conn:
        assert conn.execute("select refresh_token from receipts.oauth_grants").fetchone() == (
            "rt-consent-secret",)
    for secret in ("at-consent-secret", "rt-consent-secret", "freee-secret-value", "the-code"):
        assert secret not in run.out + run.err


@pytest.mark.parametrize(("params", "needle"), [
    ({"code": "the-code", "state": "forged"}, "state does not match"),
    ({"error": "access_denied"}, "did not grant access (access_denied)")])
def test_a_bad_redirect_stores_nothing(capsys: pytest.CaptureFixture[str], db_url: str,
                                       params: dict[str, str], needle: str) -> None:
    with respx.mock(assert_all_called=False) as mock:
        route = mock.post(GOOGLE_TOKEN).mock(return_value=token_response("at", refresh="rt"))
        run = Consent(capsys, ["--db-url", db_url, "auth", "google", "--no-browser",
                               "--timeout", "20"])
        run.redirect(run.url(), **params)
        assert run.finish() != 0
        assert route.call_count == 0
    assert needle in run.err and "nothing stored" in run.err
    assert stored(db_url) == []


def test_several_freee_companies_need_a_choice(capsys: pytest.CaptureFixture[str],
                                               db_url: str) -> None:
    challenge: dict[str, str] = {}
    with respx.mock() as mock:
        token_endpoint(mock, FREEE_TOKEN, "freee-client", challenge)
        mock.get(COMPANIES).mock(return_value=httpx.Response(200, json=TWO))
        port = free_port()
        run = Consent(capsys, ["--db-url", db_url, "auth", "freee", "--no-browser",
                               "--port", str(port)])
        url = run.url()
        challenge.update({k: v[0] for k, v in parse_qs(urlsplit(url).query).items()})
        assert challenge["redirect_uri"] == f"http://127.0.0.1:{port}/"  # as registered
        run.redirect(url, code="c", state=challenge["state"])
        assert run.finish() != 0
    assert "1234 (山田事務所), 99 (副業)" in run.err and "--company-id" in run.err
    assert stored(db_url) == []


def test_google_consent_asks_for_offline_access_and_imap(
        capsys: pytest.CaptureFixture[str], db_url: str) -> None:
    challenge: dict[str, str] = {}
    with respx.mock() as mock:
        token_endpoint(mock, GOOGLE_TOKEN, "google-client", challenge)
        run = Consent(capsys, ["--db-url", db_url, "auth", "google", "--imap", "--no-browser",
                               "--account", "me@gmail.com"])
        url = run.url()
        query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
        assert (query["access_type"], query["prompt"]) == ("offline", "consent")
        assert query["scope"].split() == ["https://www.googleapis.com/auth/gmail.modify",
                                          "https://www.googleapis.com/auth/drive.file",
                                          "https://mail.google.com/"]
        challenge.update(query)
        run.redirect(url, code="c", state=query["state"])
        assert run.finish() == 0, run.err
    assert [g["account"] for g in stored(db_url)] == ["me@gmail.com"]


def test_a_missing_client_is_said_before_any_browser(capsys: pytest.CaptureFixture[str],
                                                     db_url: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SUPAJOBS_FREEE_CLIENT_SECRET")
    assert main(["--db-url", db_url, "auth", "freee", "--no-browser"]) != 0
    assert "SUPAJOBS_FREEE_CLIENT_SECRET" in capsys.readouterr().err


def test_status_shows_expiry_and_the_fix_for_a_revoked_grant_never_a_token(
        capsys: pytest.CaptureFixture[str], db_url: str) -> None:
    assert main(["--db-url", db_url, "auth", "status"]) == 0
    assert "nothing connected" in capsys.readouterr().out
    with service_connection(db_url) as svc:
        call(svc, "store_grant", provider="freee", account="山田事務所",
             refresh_token="rt-hidden", access_token="at-hidden", expires_at=None)
        call(svc, "begin_refresh", provider="freee", holder="w", lease_seconds=30,
             seen_generation=1)
        call(svc, "fail_refresh", provider="freee", holder="w", generation=1,
             reason="invalid_grant")
    assert main(["--json", "--db-url", db_url, "auth", "status"]) == 1
    out = capsys.readouterr().out
    assert '"status": "revoked"' in out and "run `supajobs auth freee`" in out
    assert "hidden" not in out
