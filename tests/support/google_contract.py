"""Checks respx-captured Google API traffic against Google's own discovery documents.

The documents ship inside the google-api-python-client package (a dev dependency used for
nothing else): googleapiclient/discovery_cache/documents/<api>.<version>.json. A request must
name a method of the document (HTTP method + path template, media upload paths included),
send only query parameters that method or the API knows (enums and types checked, required
ones present) and a JSON body (or multipart metadata part) that matches the request schema; a
mocked 2xx response must match the method's response schema. Unknown fields fail everywhere.

Error bodies are not described by discovery documents; they are checked against Google's
documented JSON error envelope (`_ERROR_KEYS`, cloud.google.com/apis/design/errors).
Chunks of a resumable upload (PUT to the session URI, `upload_id=`) are checked as such:
the upload path of a method with resumable media upload and a well-formed Content-Range.
"""

from __future__ import annotations

import email.parser
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import httpx

Handler = Callable[[httpx.Request], httpx.Response]
_ERROR_KEYS = {"code", "message", "errors", "status", "details"}
_ERROR_ITEM_KEYS = {"message", "domain", "reason", "location", "locationType",
                    "extendedHelp", "sendReport"}
_BASE64 = re.compile(r"[A-Za-z0-9_\-+/]*={0,2}")
_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+|\*)|bytes \*/(\d+)")


class ContractError(AssertionError):
    """A request or response that the discovery document does not allow."""


@cache
def _document(api: str) -> dict[str, Any]:
    import googleapiclient  # the package only carries the documents for us

    folder = Path(googleapiclient.__file__).parent / "discovery_cache" / "documents"
    return dict(json.loads((folder / f"{api}.json").read_text()))


@dataclass(frozen=True)
class Call:
    """One checked request: which method it is and how its response is to be checked."""

    method_id: str
    method: dict[str, Any]
    kind: str  # json | upload | resumable-start | resumable-chunk | media
    params: dict[str, str]


@dataclass
class Discovery:
    api: str  # e.g. "gmail.v1", "drive.v3"
    calls: list[Call] = field(default_factory=list)

    @property
    def doc(self) -> dict[str, Any]:
        return _document(self.api)

    def _methods(self) -> list[tuple[str, dict[str, Any]]]:
        found: list[tuple[str, dict[str, Any]]] = []

        def walk(resource: dict[str, Any]) -> None:
            found.extend((m["id"], m) for m in resource.get("methods", {}).values())
            for child in resource.get("resources", {}).values():
                walk(child)

        walk(self.doc)
        return found

    # -- requests ------------------------------------------------------------------------
    def check_request(self, request: httpx.Request) -> Call:
        url = request.url
        root = httpx.URL(self.doc["rootUrl"])
        if (url.scheme, url.host) != (root.scheme, root.host):
            raise ContractError(f"{self.api}: request to {url.host}, not {root.host}")
        path = unquote(url.raw_path.decode().split("?", 1)[0])
        params = dict(url.params.multi_items())
        for key in url.params:
            if len(url.params.get_list(key)) > 1:
                params[key] = ",".join(url.params.get_list(key))
        chunk = request.method == "PUT" and "upload_id" in params
        for method_id, method in self._methods():
            for template, kind in self._templates(method):
                if not chunk and request.method != method["httpMethod"]:
                    continue
                if chunk and kind != "upload":
                    continue
                values = _match(template, path)
                if values is None:
                    continue
                call = self._checked(request, method_id, method, kind, values, params, chunk)
                self.calls.append(call)
                return call
        raise ContractError(f"{self.api}: no method for {request.method} {path}")

    def _templates(self, method: dict[str, Any]) -> list[tuple[str, str]]:
        base = f"/{httpx.URL(self.doc['rootUrl']).path.strip('/')}".rstrip("/")
        out = [(f"{base}/{self.doc['servicePath']}{method['path']}", "json")]
        for protocol in method.get("mediaUpload", {}).get("protocols", {}).values():
            out.append((protocol["path"], "upload"))
        return out

    def _checked(self, request: httpx.Request, method_id: str, method: dict[str, Any],
                 kind: str, values: dict[str, str], params: dict[str, str], chunk: bool) -> Call:
        known = {**self.doc.get("parameters", {}), **method.get("parameters", {})}
        for name in values:
            if known.get(name, {}).get("location") != "path":
                raise ContractError(f"{method_id}: {name!r} is not a path parameter")
        if chunk:
            params.pop("upload_id")
            _check_range(method_id, request)
            kind = "resumable-chunk"
        for name, value in params.items():
            spec = known.get(name)
            if spec is None or spec.get("location") != "query":
                raise ContractError(f"{method_id}: unknown query parameter {name!r}")
            for item in value.split(",") if spec.get("repeated") else [value]:
                _check_scalar(f"{method_id}?{name}", spec, item)
        for name, spec in method.get("parameters", {}).items():
            if spec.get("required") and name not in params and name not in values:
                raise ContractError(f"{method_id}: required parameter {name!r} missing")
        if kind == "upload" and not chunk:
            kind = self._upload_kind(method_id, params)
        if params.get("alt") == "media":
            if not method.get("supportsMediaDownload"):
                raise ContractError(f"{method_id}: alt=media on a method without media download")
            kind = "media"
        if not chunk:
            self._check_body(request, method_id, method, kind)
        return Call(method_id, method, kind, {**params, **values})

    def _upload_kind(self, method_id: str, params: dict[str, str]) -> str:
        upload = params.get("uploadType")
        if upload in ("media", "multipart"):
            return "upload"
        if upload == "resumable":
            return "resumable-start"
        raise ContractError(f"{method_id}: upload path needs uploadType, got {upload!r}")

    def _check_body(self, request: httpx.Request, method_id: str, method: dict[str, Any],
                    kind: str) -> None:
        ref = method.get("request", {}).get("$ref")
        body = request.content
        if kind == "upload" and request.url.params.get("uploadType") == "multipart":
            metadata, _media = _multipart(method_id, request)
            if ref is None:
                raise ContractError(f"{method_id}: metadata part for a method without a body")
            self.check_value(metadata, {"$ref": ref}, f"{method_id} request")
            return
        if kind == "upload":  # uploadType=media: the bytes alone
            return
        if not body:
            return
        if ref is None:
            raise ContractError(f"{method_id}: sends a body, the method takes none")
        try:
            value = json.loads(body)
        except ValueError as exc:
            raise ContractError(f"{method_id}: request body is not JSON: {exc}") from None
        self.check_value(value, {"$ref": ref}, f"{method_id} request")

    # -- responses -----------------------------------------------------------------------
    def check_response(self, call: Call, response: httpx.Response) -> None:
        status = response.status_code
        if status >= 400:
            _check_error(call.method_id, response)
            return
        if call.kind in ("resumable-start", "media") or status == 308:
            if call.kind == "resumable-start" and "location" not in response.headers:
                raise ContractError(f"{call.method_id}: resumable start without Location")
            return
        ref = call.method.get("response", {}).get("$ref")
        if ref is None:
            if response.content:
                raise ContractError(f"{call.method_id}: returns a body, the method has none")
            return
        self.check_value(response.json(), {"$ref": ref}, f"{call.method_id} response")

    # -- schemas -------------------------------------------------------------------------
    def check_value(self, value: Any, schema: dict[str, Any], where: str) -> None:
        if "$ref" in schema:
            ref = schema["$ref"]
            target = self.doc["schemas"].get(ref)
            if target is None:
                raise ContractError(f"{where}: unknown schema {ref!r}")
            self.check_value(value, target, f"{where}<{ref}>")
            return
        kind = schema.get("type", "any")
        if kind == "object":
            if not isinstance(value, dict):
                raise ContractError(f"{where}: expected an object, got {value!r:.80}")
            props, extra = schema.get("properties", {}), schema.get("additionalProperties")
            for key, item in value.items():
                if key in props:
                    self.check_value(item, props[key], f"{where}.{key}")
                elif extra is not None:
                    self.check_value(item, extra, f"{where}[{key!r}]")
                else:
                    raise ContractError(f"{where}: unknown field {key!r}")
        elif kind == "array":
            if not isinstance(value, list):
                raise ContractError(f"{where}: expected an array, got {value!r:.80}")
            for n, item in enumerate(value):
                self.check_value(item, schema.get("items", {}), f"{where}[{n}]")
        elif kind != "any":
            _check_json_scalar(where, schema, value)


def _match(template: str, path: str) -> dict[str, str] | None:
    pattern, names = "", []
    for piece in re.split(r"(\{\+?[^}]+\})", template):
        if piece.startswith("{"):
            names.append(piece.strip("{}+"))
            pattern += "(.+)" if piece.startswith("{+") else "([^/]+)"
        else:
            pattern += re.escape(piece)
    found = re.fullmatch(pattern, path)
    return dict(zip(names, found.groups(), strict=True)) if found else None


def _check_scalar(where: str, spec: dict[str, Any], text: str) -> None:
    kind = spec.get("type")
    if "enum" in spec and text not in spec["enum"]:
        raise ContractError(f"{where}: {text!r} is not one of {spec['enum']}")
    if kind == "boolean" and text not in ("true", "false"):
        raise ContractError(f"{where}: {text!r} is not a boolean")
    if kind == "integer" and not re.fullmatch(r"-?\d+", text):
        raise ContractError(f"{where}: {text!r} is not an integer")
    if spec.get("format") in ("int64", "uint64") and not re.fullmatch(r"-?\d+", text):
        raise ContractError(f"{where}: {text!r} is not a {spec['format']}")


def _check_json_scalar(where: str, schema: dict[str, Any], value: Any) -> None:
    kind, fmt = schema.get("type"), schema.get("format")
    ok = {"string": isinstance(value, str), "boolean": isinstance(value, bool),
          "integer": isinstance(value, int) and not isinstance(value, bool),
          "number": isinstance(value, int | float) and not isinstance(value, bool)}.get(kind)
    if ok is None:
        raise ContractError(f"{where}: schema type {kind!r} unknown to the checker")
    if not ok:
        raise ContractError(f"{where}: expected {kind}, got {value!r:.80}")
    if "enum" in schema and value not in schema["enum"]:
        raise ContractError(f"{where}: {value!r} is not one of {schema['enum']}")
    if kind == "string" and fmt in ("int64", "uint64") and not re.fullmatch(r"-?\d+", value):
        raise ContractError(f"{where}: {value!r} is not a {fmt} string")
    if kind == "string" and fmt == "byte" and not _BASE64.fullmatch(value):
        raise ContractError(f"{where}: not base64 ({value!r:.40})")


def _multipart(method_id: str, request: httpx.Request) -> tuple[Any, bytes]:
    ctype = request.headers.get("content-type", "")
    if not ctype.startswith("multipart/related"):
        raise ContractError(f"{method_id}: multipart upload with Content-Type {ctype!r}")
    parsed = email.parser.BytesParser().parsebytes(
        f"Content-Type: {ctype}\r\n\r\n".encode() + request.content)
    parts = [p for p in parsed.get_payload() if isinstance(p, Message)]
    if len(parts) != 2 or parts[0].get_content_type() != "application/json":
        raise ContractError(f"{method_id}: multipart/related needs JSON metadata + media")
    meta, media = parts[0].get_payload(decode=True), parts[1].get_payload(decode=True)
    assert isinstance(meta, bytes) and isinstance(media, bytes)
    return json.loads(meta), media


def multipart_media(request: httpx.Request) -> tuple[dict[str, Any], bytes]:
    """The metadata and the bytes of a multipart upload (for the fakes)."""
    metadata, media = _multipart("upload", request)
    return dict(metadata), media


def _check_range(method_id: str, request: httpx.Request) -> None:
    header = request.headers.get("content-range", "")
    found = _RANGE.fullmatch(header)
    if found is None:
        raise ContractError(f"{method_id}: resumable chunk with Content-Range {header!r}")
    if found.group(1) is not None:
        first, last = int(found.group(1)), int(found.group(2))
        if last < first or len(request.content) != last - first + 1:
            raise ContractError(f"{method_id}: Content-Range {header!r} does not fit "
                                f"{len(request.content)} bytes")
    elif request.content:
        raise ContractError(f"{method_id}: a status query carries no bytes")


def _check_error(method_id: str, response: httpx.Response) -> None:
    if not response.content:
        return
    try:
        body = response.json()
    except ValueError:
        raise ContractError(f"{method_id}: error body is not JSON") from None
    error = body.get("error") if isinstance(body, dict) else None
    if set(body) != {"error"} or not isinstance(error, dict) or not set(error) <= _ERROR_KEYS:
        raise ContractError(f"{method_id}: not Google's error envelope: {body!r:.120}")
    if error.get("code") != response.status_code or not isinstance(error.get("message"), str):
        raise ContractError(f"{method_id}: error code/message do not match the status")
    for item in error.get("errors", []):
        if not set(item) <= _ERROR_ITEM_KEYS:
            raise ContractError(f"{method_id}: unknown fields in error item {item!r}")


def google_error(status: int, message: str, reason: str, *,
                 headers: dict[str, str] | None = None) -> httpx.Response:
    """A Google JSON error response, as the APIs send it."""
    names = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED",
             404: "NOT_FOUND", 409: "ALREADY_EXISTS", 429: "RESOURCE_EXHAUSTED",
             500: "INTERNAL", 503: "UNAVAILABLE"}
    body = {"error": {"code": status, "message": message, "status": names.get(status, "UNKNOWN"),
                      "errors": [{"message": message, "domain": "global", "reason": reason}]}}
    return httpx.Response(status, json=body, headers=headers)


def checked(discovery: Discovery, handler: Handler) -> Handler:
    """A respx side effect: the request is checked, then `handler` answers, then its answer
    is checked. An exception raised by `handler` (a simulated timeout) passes through."""

    def side_effect(request: httpx.Request) -> httpx.Response:
        call = discovery.check_request(request)
        response = handler(request)
        discovery.check_response(call, response)
        return response

    return side_effect


CallHandler = Callable[[httpx.Request, Call], httpx.Response]


def dispatch(discovery: Discovery, handlers: dict[str, CallHandler]) -> Handler:
    """A respx side effect for a stateful fake: the checked request goes to the handler of
    its discovery method id; a method the fake does not serve fails the test."""

    def side_effect(request: httpx.Request) -> httpx.Response:
        call = discovery.check_request(request)
        handler = handlers.get(call.method_id)
        if handler is None:
            raise ContractError(f"the fake does not serve {call.method_id}")
        response = handler(request, call)
        discovery.check_response(call, response)
        return response

    return side_effect
