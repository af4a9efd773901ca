"""A stateful stand-in for the Gmail API, behind the discovery-document checker.

Gmail's query language cannot be evaluated here; a message is "a receipt" when made with
`receipt=True`, and the fake applies the parts of `q` the source adds itself (`after:`, the
processed-label exclusion), recording every q so tests can check what was asked.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import respx

from support.google_contract import Call, Discovery, dispatch, google_error

BASE = "https://gmail.googleapis.com"
Fault = Callable[[], httpx.Response]


@dataclass
class Mail:
    raw: bytes
    receipt: bool
    internal_ms: int
    labels: list[str] = field(default_factory=lambda: ["INBOX"])


class FakeGmail:
    def __init__(self, address: str, tokens: set[str] | None = None) -> None:
        self.address = address
        self.mails: dict[str, Mail] = {}
        self.history: list[tuple[int, str]] = []
        self.history_id = 1000
        self.oldest_history = 0  # startHistoryId below this answers 404
        self.labels: dict[str, str] = {}  # name -> id
        self.valid_tokens = tokens  # None: any token
        self.faults: dict[str, list[Fault]] = {}
        self.queries: list[str] = []
        self.counts: dict[str, int] = {}
        self.discovery = Discovery("gmail.v1")
        self.deleted: set[str] = set()

    def add(self, raw: bytes, *, receipt: bool = True, internal_s: int = 1_790_000_000) -> str:
        self.history_id += 1
        message_id = f"{self.history_id:x}{len(self.mails):04x}"
        self.mails[message_id] = Mail(raw, receipt, internal_s * 1000)
        self.history.append((self.history_id, message_id))
        return message_id

    def fail(self, method: str, *responses: Fault) -> None:
        self.faults.setdefault(f"gmail.users.{method}", []).extend(responses)

    def label_of(self, message_id: str) -> list[str]:
        names = {v: k for k, v in self.labels.items()}
        return [names.get(x, x) for x in self.mails[message_id].labels]

    # -- the API -------------------------------------------------------------------------
    def _guard(self, request: httpx.Request, call: Call) -> httpx.Response | None:
        self.counts[call.method_id] = self.counts.get(call.method_id, 0) + 1
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        if self.valid_tokens is not None and token not in self.valid_tokens:
            return google_error(401, "Request had invalid authentication credentials.",
                                "authError")
        faults = self.faults.get(call.method_id)
        return faults.pop(0)() if faults else None

    def handlers(self) -> dict[str, Callable[[httpx.Request, Call], httpx.Response]]:
        def guarded(fn: Callable[[httpx.Request, Call], httpx.Response]
                    ) -> Callable[[httpx.Request, Call], httpx.Response]:
            def run(request: httpx.Request, call: Call) -> httpx.Response:
                return self._guard(request, call) or fn(request, call)
            return run

        table = {"getProfile": self._profile, "messages.list": self._list,
                 "messages.get": self._get, "history.list": self._history,
                 "labels.list": self._labels, "labels.create": self._create_label,
                 "messages.batchModify": self._modify}
        return {f"gmail.users.{k}": guarded(v) for k, v in table.items()}

    def _profile(self, request: httpx.Request, call: Call) -> httpx.Response:
        return httpx.Response(200, json={"emailAddress": self.address,
                                         "messagesTotal": len(self.mails),
                                         "historyId": str(self.history_id)})

    def _list(self, request: httpx.Request, call: Call) -> httpx.Response:
        q = call.params.get("q", "")
        self.queries.append(q)
        after = re.search(r"after:(\d+)", q)
        skip_label = re.search(r"-label:(\S+)", q)
        done = {v for k, v in self.labels.items()
                if skip_label and k.replace("/", "-") == skip_label.group(1)}
        ids = [i for i, m in sorted(self.mails.items(), key=lambda x: -x[1].internal_ms)
               if m.receipt and i not in self.deleted and not done & set(m.labels)
               and (after is None or m.internal_ms // 1000 > int(after.group(1)))]
        start = int(call.params.get("pageToken", "0"))
        size = int(call.params.get("maxResults", "100"))
        page = ids[start:start + size]
        body: dict[str, Any] = {"resultSizeEstimate": len(ids)}
        if page:
            body["messages"] = [{"id": i, "threadId": i} for i in page]
        if start + size < len(ids):
            body["nextPageToken"] = str(start + size)
        return httpx.Response(200, json=body)

    def _get(self, request: httpx.Request, call: Call) -> httpx.Response:
        message_id = call.params["id"]
        mail = self.mails.get(message_id)
        if mail is None or message_id in self.deleted:
            return google_error(404, "Requested entity was not found.", "notFound")
        assert call.params.get("format") == "raw"
        raw = base64.urlsafe_b64encode(mail.raw).decode().rstrip("=")
        return httpx.Response(200, json={"id": message_id, "threadId": message_id,
                                         "labelIds": mail.labels, "raw": raw,
                                         "internalDate": str(mail.internal_ms),
                                         "sizeEstimate": len(mail.raw),
                                         "historyId": str(self.history_id)})

    def _history(self, request: httpx.Request, call: Call) -> httpx.Response:
        start = int(call.params["startHistoryId"])
        if start < self.oldest_history:
            return google_error(404, "Requested entity was not found.", "notFound")
        records = [{"id": str(h), "messagesAdded": [
                       {"message": {"id": i, "threadId": i, "labelIds": ["INBOX"]}}]}
                   for h, i in self.history if h > start]
        offset = int(call.params.get("pageToken", "0"))
        body: dict[str, Any] = {"historyId": str(self.history_id)}
        if records[offset:offset + 2]:
            body["history"] = records[offset:offset + 2]
        if offset + 2 < len(records):
            body["nextPageToken"] = str(offset + 2)
        return httpx.Response(200, json=body)

    def _labels(self, request: httpx.Request, call: Call) -> httpx.Response:
        labels = [{"id": "INBOX", "name": "INBOX", "type": "system"}] + [
            {"id": i, "name": n, "type": "user"} for n, i in self.labels.items()]
        return httpx.Response(200, json={"labels": labels})

    def _create_label(self, request: httpx.Request, call: Call) -> httpx.Response:
        import json

        name = json.loads(request.content)["name"]
        if name in self.labels:
            return google_error(409, "Label name exists or conflicts", "duplicate")
        self.labels[name] = f"Label_{len(self.labels) + 1}"
        return httpx.Response(200, json={"id": self.labels[name], "name": name, "type": "user"})

    def _modify(self, request: httpx.Request, call: Call) -> httpx.Response:
        import json

        body = json.loads(request.content)
        for message_id in body["ids"]:
            labels = self.mails[message_id].labels
            labels += [x for x in body.get("addLabelIds", []) if x not in labels]
        return httpx.Response(204)


@contextmanager
def mocked_gmail(fake: FakeGmail) -> Iterator[respx.Router]:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        router.route().mock(side_effect=dispatch(fake.discovery, fake.handlers()))
        yield router
