"""The discovery-document checker itself: right traffic passes, wrong traffic fails."""

from __future__ import annotations

import json

import httpx
import pytest

from support.google_contract import ContractError, Discovery, google_error

GMAIL = "https://gmail.googleapis.com/gmail/v1/users/me"
DRIVE = "https://www.googleapis.com/drive/v3/files"
UPLOAD = "https://www.googleapis.com/upload/drive/v3/files"


def gmail() -> Discovery:
    return Discovery("gmail.v1")


def drive() -> Discovery:
    return Discovery("drive.v3")


def test_a_right_gmail_request_and_response_pass() -> None:
    d = gmail()
    call = d.check_request(httpx.Request("GET", f"{GMAIL}/messages/abc", params={"format": "raw"}))
    assert call.method_id == "gmail.users.messages.get" and call.params["id"] == "abc"
    d.check_response(call, httpx.Response(200, json={"id": "abc", "raw": "SGk", "labelIds": ["X"],
                                                     "internalDate": "1700000000000"}))


@pytest.mark.parametrize(("request_", "message"), [
    (httpx.Request("GET", f"{GMAIL}/messages/abc", params={"format": "rawest"}), "not one of"),
    (httpx.Request("GET", f"{GMAIL}/messages/abc", params={"fromat": "raw"}), "unknown query"),
    (httpx.Request("DELETE", f"{GMAIL}/profile"), "no method"),
    (httpx.Request("GET", f"{GMAIL}/mesages"), "no method"),
    (httpx.Request("GET", f"{GMAIL}/messages", params={"maxResults": "ten"}), "not an integer"),
    (httpx.Request("GET", "https://evil.example/gmail/v1/users/me/profile"), "not gmail"),
    (httpx.Request("POST", f"{GMAIL}/labels", json={"name": "x", "colour": "red"}),
     "unknown field 'colour'"),
    (httpx.Request("POST", f"{GMAIL}/messages/batchModify", json={"ids": "a,b"}),
     "expected an array"),
    (httpx.Request("GET", f"{GMAIL}/profile", content=b"{}"), "takes none"),
])
def test_wrong_gmail_requests_fail(request_: httpx.Request, message: str) -> None:
    with pytest.raises(ContractError, match=message):
        gmail().check_request(request_)


@pytest.mark.parametrize(("body", "message"), [
    ({"id": "abc", "sizeEstimate": "12"}, "expected integer"),
    ({"id": "abc", "internalDate": "yesterday"}, "not a int64"),
    ({"id": "abc", "rawBody": "x"}, "unknown field 'rawBody'"),
    ({"id": "abc", "payload": {"headers": [{"name": "From", "valeu": "x"}]}}, "unknown field"),
    ({"id": "abc", "raw": "***"}, "not base64"),
])
def test_wrong_gmail_responses_fail(body: dict[str, object], message: str) -> None:
    d = gmail()
    call = d.check_request(httpx.Request("GET", f"{GMAIL}/messages/abc"))
    with pytest.raises(ContractError, match=message):
        d.check_response(call, httpx.Response(200, json=body))


def test_error_envelope_is_checked() -> None:
    d = gmail()
    call = d.check_request(httpx.Request("GET", f"{GMAIL}/profile"))
    d.check_response(call, google_error(429, "slow down", "rateLimitExceeded"))
    with pytest.raises(ContractError, match="error envelope"):
        d.check_response(call, httpx.Response(429, json={"message": "slow down"}))
    with pytest.raises(ContractError, match="do not match"):
        d.check_response(call, httpx.Response(404, json={"error": {"code": 500, "message": "x"}}))


def test_drive_multipart_upload_metadata_is_checked() -> None:
    d = drive()
    meta = {"name": "a.pdf", "parents": ["root"], "appProperties": {"sha256": "ab"}}
    ok = _multipart_request(meta)
    call = d.check_request(ok)
    assert (call.method_id, call.kind) == ("drive.files.create", "upload")
    d.check_response(call, httpx.Response(200, json={"id": "f1", "name": "a.pdf"}))
    with pytest.raises(ContractError, match="unknown field 'parent'"):
        d.check_request(_multipart_request({"name": "a.pdf", "parent": "root"}))
    with pytest.raises(ContractError, match="expected string"):
        d.check_request(_multipart_request({"name": "a", "appProperties": {"sha256": 1}}))
    with pytest.raises(ContractError, match="needs uploadType"):
        d.check_request(httpx.Request("POST", UPLOAD, content=b"x"))


def test_drive_resumable_session_and_chunks() -> None:
    d = drive()
    start = d.check_request(httpx.Request("POST", UPLOAD, params={"uploadType": "resumable"},
                                          json={"name": "big.pdf"}))
    assert start.kind == "resumable-start"
    with pytest.raises(ContractError, match="without Location"):
        d.check_response(start, httpx.Response(200))
    chunk = httpx.Request("PUT", UPLOAD, params={"uploadType": "resumable", "upload_id": "u1"},
                          headers={"Content-Range": "bytes 0-3/10"}, content=b"abcd")
    assert d.check_request(chunk).kind == "resumable-chunk"
    query = httpx.Request("PUT", UPLOAD, params={"uploadType": "resumable", "upload_id": "u1"},
                          headers={"Content-Range": "bytes */10"})
    assert d.check_request(query).kind == "resumable-chunk"
    bad = httpx.Request("PUT", UPLOAD, params={"uploadType": "resumable", "upload_id": "u1"},
                        headers={"Content-Range": "bytes 0-9/10"}, content=b"abcd")
    with pytest.raises(ContractError, match="does not fit"):
        d.check_request(bad)


def test_drive_media_download_and_unknown_alt() -> None:
    d = drive()
    call = d.check_request(httpx.Request("GET", f"{DRIVE}/f1", params={"alt": "media"}))
    assert call.kind == "media"
    d.check_response(call, httpx.Response(200, content=b"%PDF"))
    with pytest.raises(ContractError, match="not one of"):
        d.check_request(httpx.Request("GET", f"{DRIVE}/f1", params={"alt": "raw"}))
    with pytest.raises(ContractError, match="required parameter 'mimeType'"):
        d.check_request(httpx.Request("GET", f"{DRIVE}/f1/export"))
    with pytest.raises(ContractError, match="not a boolean"):
        d.check_request(httpx.Request("GET", DRIVE, params={"supportsAllDrives": "yes"}))


def _multipart_request(meta: dict[str, object]) -> httpx.Request:
    boundary = "b0undary"
    body = (f"--{boundary}\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n"
            f"{json.dumps(meta)}\r\n--{boundary}\r\nContent-Type: application/pdf\r\n\r\n"
            f"%PDF\r\n--{boundary}--\r\n").encode()
    return httpx.Request("POST", UPLOAD, params={"uploadType": "multipart"}, content=body,
                         headers={"Content-Type": f"multipart/related; boundary={boundary}"})
