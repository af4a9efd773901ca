"""A stateful stand-in for Drive v3 files, behind the discovery-document checker.

It understands exactly the query clauses the store sends (parents, name, mimeType,
appProperties, trashed, joined by `and`); any other clause fails the test.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import respx

from support.google_contract import Call, Discovery, dispatch, google_error, multipart_media

BASE = "https://www.googleapis.com"
FOLDER = "application/vnd.google-apps.folder"
_STR = r"'((?:[^'\\]|\\.)*)'"
_CLAUSES = [
    (re.compile(rf"{_STR} in parents"), lambda f, v: v[0] in f.parents),
    (re.compile(rf"name = {_STR}"), lambda f, v: f.name == v[0]),
    (re.compile(rf"mimeType = {_STR}"), lambda f, v: f.mime == v[0]),
    (re.compile(rf"mimeType != {_STR}"), lambda f, v: f.mime != v[0]),
    (re.compile(rf"appProperties has {{ key={_STR} and value={_STR} }}"),
     lambda f, v: f.app.get(v[0]) == v[1]),
    (re.compile(r"trashed = false"), lambda f, v: not f.trashed),
]


def _clauses(q: str) -> list[str]:
    """Split on `and` outside quotes and braces; brackets outside quotes are dropped."""
    out, current, quoted, depth, i = [], "", False, 0, 0
    while i < len(q):
        ch = q[i]
        if quoted:
            current += q[i:i + 2] if ch == "\\" else ch
            i += 2 if ch == "\\" else 1
            quoted = ch != "'" if ch != "\\" else True
            continue
        if ch == "'":
            quoted = True
        elif ch in "{}":
            depth += 1 if ch == "{" else -1
        elif ch in "()":
            i += 1
            continue
        elif depth == 0 and q.startswith(" and ", i):
            out.append(current.strip())
            current, i = "", i + 5
            continue
        current += ch
        i += 1
    return [c for c in [*out, current.strip()] if c]


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


@dataclass
class DriveFile:
    id: str
    name: str
    mime: str
    parents: list[str]
    app: dict[str, str] = field(default_factory=dict)
    data: bytes = b""
    trashed: bool = False
    created: int = 0

    def json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"id": self.id, "name": self.name, "mimeType": self.mime,
                                "parents": self.parents,
                                "createdTime": f"2026-01-01T00:00:{self.created % 60:02d}Z"}
        if self.app:
            body["appProperties"] = self.app
        if self.mime != FOLDER:
            body["size"] = str(len(self.data))
        return body


class FakeDrive:
    def __init__(self, root: str = "root-folder") -> None:
        self.root = root
        self.files: dict[str, DriveFile] = {}
        self.sessions: dict[str, dict[str, Any]] = {}
        self.counter = itertools.count(1)
        self.discovery = Discovery("drive.v3")
        self.calls: list[str] = []
        self.faults: list[Callable[[httpx.Request, Call], httpx.Response | None]] = []
        self.queries: list[str] = []
        self.valid_token: str | None = None

    def live(self) -> list[DriveFile]:
        return [f for f in self.files.values() if not f.trashed]

    def path_of(self, f: DriveFile) -> str:
        parts = [f.name]
        while f.parents[0] != self.root:
            f = self.files[f.parents[0]]
            parts.insert(0, f.name)
        return "/".join(parts)

    def tree(self) -> dict[str, bytes]:
        return {self.path_of(f): f.data for f in self.live() if f.mime != FOLDER}

    def _new(self, meta: dict[str, Any], data: bytes = b"") -> DriveFile:
        n = next(self.counter)
        made = DriveFile(f"file{n}", meta["name"], meta.get("mimeType", "application/octet-stream"),
                         meta.get("parents", [self.root]), meta.get("appProperties", {}), data,
                         created=n)
        self.files[made.id] = made
        return made

    def handler(self, request: httpx.Request, call: Call) -> httpx.Response:
        self.calls.append(call.method_id if call.kind == "json" else f"{call.method_id}:{call.kind}")
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        if self.valid_token is not None and token != self.valid_token:
            return google_error(401, "Invalid Credentials", "authError")
        for fault in list(self.faults):
            answer = fault(request, call)
            if answer is not None:
                self.faults.remove(fault)
                return answer
        kind = call.kind
        if call.method_id == "drive.files.list":
            return self._list(call)
        if call.method_id == "drive.files.get":
            found = self.files.get(call.params["fileId"])
            if found is None or found.trashed:
                return google_error(404, "File not found.", "notFound")
            return httpx.Response(200, content=found.data) if kind == "media" else \
                httpx.Response(200, json=found.json())
        if call.method_id == "drive.files.update":
            return self._update(request, call)
        if kind == "json":  # files.create without media: a folder
            return httpx.Response(200, json=self._new(json.loads(request.content)).json())
        if kind == "upload":
            meta, data = multipart_media(request)
            return httpx.Response(200, json=self._new(meta, data).json())
        if kind == "resumable-start":
            upload_id = f"u{next(self.counter)}"
            self.sessions[upload_id] = {"meta": json.loads(request.content), "data": b"",
                                        "total": int(request.headers["x-upload-content-length"])}
            return httpx.Response(200, headers={"Location": f"{BASE}/upload/drive/v3/files?"
                                                f"uploadType=resumable&upload_id={upload_id}"})
        return self._chunk(request)

    def _list(self, call: Call) -> httpx.Response:
        q = call.params["q"]
        self.queries.append(q)
        tests = []
        for clause in _clauses(q):
            for pattern, test in _CLAUSES:
                found = pattern.fullmatch(clause)
                if found:
                    tests.append((test, [_unquote(g) for g in found.groups()]))
                    break
            else:
                raise AssertionError(f"the fake does not understand {clause!r} in {q!r}")
        hits = [f for f in self.files.values() if all(t(f, v) for t, v in tests)]
        hits.sort(key=(lambda f: f.name) if call.params.get("orderBy") == "name"
                  else (lambda f: f.created))
        return httpx.Response(200, json={"kind": "drive#fileList",
                                         "files": [f.json() for f in hits]})

    def _update(self, request: httpx.Request, call: Call) -> httpx.Response:
        found = self.files.get(call.params["fileId"])
        if found is None or found.trashed:
            return google_error(404, "File not found.", "notFound")
        body = json.loads(request.content)
        found.name = body.get("name", found.name)
        found.trashed = body.get("trashed", found.trashed)
        if "addParents" in call.params:
            found.parents = [call.params["addParents"]]
        return httpx.Response(200, json=found.json())

    def _chunk(self, request: httpx.Request) -> httpx.Response:
        session = self.sessions[request.url.params["upload_id"]]
        header = request.headers["content-range"]
        if not header.startswith("bytes */"):
            start = int(header.split()[1].split("-")[0])
            assert start == len(session["data"]), "chunk does not continue the upload"
            session["data"] += request.content
        if len(session["data"]) < session["total"]:
            headers = {"Range": f"bytes=0-{len(session['data']) - 1}"} if session["data"] else {}
            return httpx.Response(308, headers=headers)
        return httpx.Response(200, json=self._new(session["meta"], session["data"]).json())


@contextmanager
def mocked_drive(fake: FakeDrive) -> Iterator[respx.Router]:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        router.route().mock(side_effect=dispatch(fake.discovery, {
            m: fake.handler for m in ("drive.files.list", "drive.files.get",
                                      "drive.files.create", "drive.files.update")}))
        yield router
