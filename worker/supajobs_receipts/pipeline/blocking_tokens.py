"""GrantTokens for blocking callers: the mail sources and file stores run in worker threads
(asyncio.to_thread), the grant store's connections belong to the worker's event loop. Each call
is run on that loop and waited for from the calling thread."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

from supajobs_receipts.pipeline.grant_tokens import GrantTokens

T = TypeVar("T")


class BlockingTokenSource:
    """A `supajobs_receipts.credentials.TokenSource` over GrantTokens."""

    def __init__(self, tokens: GrantTokens, loop: asyncio.AbstractEventLoop,
                 timeout: float = 120.0) -> None:
        self.provider: str = tokens.provider
        self.tokens, self.loop, self.timeout = tokens, loop, timeout

    def _on_own_loop(self) -> bool:
        try:
            return asyncio.get_running_loop() is self.loop
        except RuntimeError:  # no loop in this thread: a worker thread, as it should be
            return False

    def _run(self, work: Coroutine[Any, Any, T]) -> T:
        if self._on_own_loop():  # waiting here would block the loop that must do the work
            work.close()
            raise RuntimeError("BlockingTokenSource called on its own event loop's thread: "
                               "call it from a worker thread (asyncio.to_thread), or await "
                               "GrantTokens directly")
        return asyncio.run_coroutine_threadsafe(work, self.loop).result(self.timeout)

    def access_token(self) -> str:
        return self._run(self.tokens.access_token())

    def after_rejection(self, rejected: str) -> str:
        return self._run(self.tokens.after_rejection(rejected))
