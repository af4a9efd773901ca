"""SupabaseFileStore against a stateful stand-in for the Storage REST API (respx)."""

from __future__ import annotations

import email.parser
import json
from collections.abc import Iterator
from email.message import Message
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
import respx

from supajobs_receipts.organize.organizer import organize_receipt
from supajobs_receipts.storage import (
    FileStore,
    StoreConflictError,
    StoredFileNotFoundError,
    UnsafePathError,
    sha256_hex,
)
from supajobs_receipts.storage.supabase_storage import SupabaseFileStore
from unit.organize_factory import make_receipt

BASE = "https://proj.supabase.co/storage/v1"
KEY = "service-role-key"


def _error(status: int, code: str, message: str, status_code: str) -> httpx.Response:
    body = {"statusCode": status_code, "error": code, "message": message}
    return httpx.Response(status, json=body)


class FakeBucket:
    """Just enough of Supabase Storage's object API, with its real error shapes."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.objects: dict[str, bytes] = {}
        self.content_types: dict[str, str] = {}
        self.list_calls = 0
        self.broken = False

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if self.broken:
            return _error(500, "InternalError", "db down", "500")
        assert request.headers["apikey"] == KEY
        assert request.headers["authorization"] == f"Bearer {KEY}"
        path = unquote(request.url.path).removeprefix("/storage/v1/object/")
        method = request.method
        if method == "POST" and path == "move":
            return self._move(json.loads(request.content))
        if method == "POST" and path == f"list/{self.name}":
            return self._list(json.loads(request.content))
        if method == "GET" and path.startswith(f"info/{self.name}/"):
            key = path.removeprefix(f"info/{self.name}/")
            if key in self.objects:
                return httpx.Response(200, json={"name": key, "size": len(self.objects[key])})
            return _error(404, "not_found", "Object not found", "404")
        if method == "DELETE" and path == self.name:
            keys = json.loads(request.content)["prefixes"]
            gone = [{"name": k} for k in keys if self.objects.pop(k, None) is not None]
            return httpx.Response(200, json=gone)
        key = path.removeprefix(f"{self.name}/")
        if method == "GET":
            if key not in self.objects:
                return _error(400, "not_found", "Object not found", "404")
            return httpx.Response(200, content=self.objects[key])
        if method == "POST":
            return self._upload(key, request)
        raise AssertionError(f"unexpected request {method} {path}")

    def _upload(self, key: str, request: httpx.Request) -> httpx.Response:
        assert request.headers.get("x-upsert") == "false"
        if key in self.objects:
            return _error(400, "Duplicate", "The resource already exists", "409")
        header = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
        message = email.parser.BytesParser().parsebytes(header + request.content)
        parts = [p for p in message.get_payload() if isinstance(p, Message)]
        part = next(p for p in parts if p.get_param("name", header="content-disposition") == "file")
        data = part.get_payload(decode=True)
        assert isinstance(data, bytes)
        self.objects[key] = data
        self.content_types[key] = part.get_content_type()
        return httpx.Response(200, json={"Key": f"{self.name}/{key}", "Id": "x"})

    def _move(self, body: dict[str, Any]) -> httpx.Response:
        assert body["bucketId"] == self.name
        src, dst = body["sourceKey"], body["destinationKey"]
        if src not in self.objects:
            return _error(400, "not_found", "Object not found", "404")
        self.objects[dst] = self.objects.pop(src)
        return httpx.Response(200, json={"message": "Successfully moved"})

    def _list(self, body: dict[str, Any]) -> httpx.Response:
        self.list_calls += 1
        prefix = body["prefix"].strip("/")
        start = f"{prefix}/" if prefix else ""
        entries: dict[str, dict[str, Any]] = {}
        for key in self.objects:
            if key.startswith(start):
                head, _, rest = key[len(start) :].partition("/")
                entries[head] = {"name": head, "id": "uuid" if not rest else None}
        page = sorted(entries.values(), key=lambda e: e["name"])
        offset, limit = body["offset"], body["limit"]
        return httpx.Response(200, json=page[offset : offset + limit])


@pytest.fixture
def bucket() -> Iterator[FakeBucket]:
    fake = FakeBucket("receipts")
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        router.route().mock(side_effect=fake)
        yield fake


@pytest.fixture
def store(bucket: FakeBucket) -> SupabaseFileStore:
    return SupabaseFileStore("https://proj.supabase.co/", KEY, "receipts")


def test_is_a_file_store(store: SupabaseFileStore) -> None:
    assert isinstance(store, FileStore)


def test_put_uploads_once_with_content_type(store: SupabaseFileStore, bucket: FakeBucket) -> None:
    first = store.put(b"%PDF-1.7", "領収書.pdf")
    again = store.put(b"%PDF-1.7", "copy.pdf")
    key = f"inbox/{sha256_hex(b'%PDF-1.7')}.pdf"
    assert (first.path, first.created, again.created) == (key, True, False)
    assert bucket.objects == {key: b"%PDF-1.7"}
    assert bucket.content_types[key] == "application/pdf"


def test_write_conflicts_on_different_bytes(store: SupabaseFileStore, bucket: FakeBucket) -> None:
    store.write("2024/06/a.pdf", b"one")
    with pytest.raises(StoreConflictError, match=r"2024/06/a\.pdf"):
        store.write("2024/06/a.pdf", b"two")
    assert bucket.objects["2024/06/a.pdf"] == b"one"


def test_get_exists_and_missing(store: SupabaseFileStore) -> None:
    store.write("2024/06/2024-06-20_スタバ_500円.png", b"\x89PNG")
    assert store.get("2024/06/2024-06-20_スタバ_500円.png") == b"\x89PNG"
    assert store.exists("2024/06/2024-06-20_スタバ_500円.png")
    assert not store.exists("2024/06/none.png")
    with pytest.raises(StoredFileNotFoundError, match=r"none\.png"):
        store.get("2024/06/none.png")
    with store.open("2024/06/2024-06-20_スタバ_500円.png") as fh:
        assert fh.read() == b"\x89PNG"


def test_move_renames_but_never_overwrites(store: SupabaseFileStore, bucket: FakeBucket) -> None:
    store.write("inbox/a.pdf", b"a")
    store.write("taken.pdf", b"t")
    with pytest.raises(StoreConflictError):
        store.move("inbox/a.pdf", "taken.pdf")
    store.move("inbox/a.pdf", "2024/06/a.pdf")
    assert bucket.objects == {"2024/06/a.pdf": b"a", "taken.pdf": b"t"}
    with pytest.raises(StoredFileNotFoundError):
        store.move("inbox/a.pdf", "b.pdf")


def test_list_walks_folders_and_pages(store: SupabaseFileStore, bucket: FakeBucket) -> None:
    keys = [f"2024/06/{i:04d}.pdf" for i in range(1001)] + ["2024/07/x.pdf", "top.pdf"]
    bucket.objects.update(dict.fromkeys(keys, b"x"))
    assert store.list() == sorted(keys)
    assert store.list("2024/07") == ["2024/07/x.pdf"]
    assert bucket.list_calls > 4  # root, 2024, 06 (two pages), 07 …


def test_list_skips_dashboard_placeholders(store: SupabaseFileStore, bucket: FakeBucket) -> None:
    bucket.objects.update({"2024/.emptyFolderPlaceholder": b"", "2024/a.pdf": b"a"})
    assert store.list() == ["2024/a.pdf"]


def test_organize_receipt_in_a_bucket(store: SupabaseFileStore, bucket: FakeBucket) -> None:
    stored = store.put(b"%PDF receipt", "r.pdf")
    record = make_receipt(1, data=b"%PDF receipt", stored_path=stored.path, vendor="ＡＷＳ")  # noqa: RUF001
    result = organize_receipt(record, store)
    assert result.new_path == "2024/06/2024-06-20_AWS_1234円.pdf"
    assert bucket.objects == {result.new_path: b"%PDF receipt"}
    again = organize_receipt(record.model_copy(update={"stored_path": result.new_path}), store)
    assert again.action == "unchanged"


def test_delete(store: SupabaseFileStore, bucket: FakeBucket) -> None:
    store.write("a.pdf", b"a")
    store.delete("a.pdf")
    assert bucket.objects == {}
    with pytest.raises(StoredFileNotFoundError):
        store.delete("a.pdf")


def test_unsafe_keys_never_reach_the_server(store: SupabaseFileStore) -> None:
    with pytest.raises(UnsafePathError):
        store.write("../other-bucket/x", b"x")
    with pytest.raises(UnsafePathError):
        store.get("/abs")


def test_server_errors_are_not_swallowed(store: SupabaseFileStore, bucket: FakeBucket) -> None:
    store.write("a.pdf", b"a")
    bucket.broken = True
    with pytest.raises(Exception, match="db down") as caught:
        store.get("a.pdf")
    assert not isinstance(caught.value, StoredFileNotFoundError)
