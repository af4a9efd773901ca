"""PostgREST transport: `POST {url}/rest/v1/rpc/<fn>`, Content-Profile: jobs, via postgrest-py."""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
from postgrest import AsyncPostgrestClient
from postgrest.exceptions import APIError

from supajobs.error_mapping import from_postgrest
from supajobs.errors import ConfigurationError, TransientError
from supajobs.functions import lookup
from supajobs.transport.codec import to_json

DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=5.0)


@dataclass
class _LastStatus:
    code: int | None = None


# APIError drops the HTTP status; a response hook records it for the running call.
_last_status: ContextVar[_LastStatus | None] = ContextVar("supajobs_last_status", default=None)


async def _record_status(response: httpx.Response) -> None:
    holder = _last_status.get()
    if holder is not None:
        holder.code = response.status_code


def check_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigurationError(
            "SUPABASE_URL must be an http(s) URL such as https://<project>.supabase.co, "
            f"got {url!r}")
    return url.rstrip("/")


class PostgrestTransport:
    """Calls the RPC functions of schema `jobs` with the service-role key."""

    name = "postgrest"

    def __init__(self, url: str, key: str, *, timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
                 schema: str = "jobs") -> None:
        base = check_url(url)
        if not key or not key.strip():
            raise ConfigurationError("the service-role key is empty (SUPABASE_SERVICE_ROLE_KEY)")
        self.rest_url = f"{base}/rest/v1"
        self._http = httpx.AsyncClient(
            timeout=timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout),
            event_hooks={"response": [_record_status]})
        headers = {"apikey": key, "Authorization": f"Bearer {key}"}
        # postgrest-py's own retry covers GET only; ours (tenacity) decides instead.
        self._client = AsyncPostgrestClient(self.rest_url, schema=schema, headers=headers,
                                            http_client=self._http, retry_enabled=False)
        self._schema = schema

    async def call(self, fn: str, args: Mapping[str, Any]) -> Any:
        spec = lookup(fn)
        # Content-Profile names the function's schema (jobs, or an application's own).
        client = self._client if spec.schema == self._schema else self._client.schema(spec.schema)
        holder = _LastStatus()
        token = _last_status.set(holder)
        try:
            response = await client.rpc(fn, to_json(dict(args))).execute()
        except APIError as exc:
            raise from_postgrest(exc.json(), holder.code) from exc
        except httpx.ConnectError as exc:
            raise TransientError(f"cannot reach PostgREST at {self.rest_url}: {exc}",
                                 applied=False) from exc
        except httpx.TimeoutException as exc:
            raise TransientError(f"PostgREST call {fn} timed out: {exc!r}", applied=None) from exc
        except httpx.TransportError as exc:
            raise TransientError(f"PostgREST call {fn} failed: {exc!r}", applied=None) from exc
        finally:
            _last_status.reset(token)
        return response.data

    async def aclose(self) -> None:
        await self._http.aclose()
