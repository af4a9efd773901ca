"""Where a Gmail scan stopped."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class GmailCheckpoint(BaseModel):
    """`history_id` is taken from the profile *before* the first full scan starts, so mail
    that arrives while that scan runs (over several runs) is found by history.list later.
    `pending`: ids found but not fetched yet (more than `max_messages` at once)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    history_id: str = Field(pattern=r"^\d+$")
    full_scan_done: bool = False
    page_token: str | None = None  # where the unfinished first full scan goes on
    pending: tuple[str, ...] = ()
    synced_at: int = Field(ge=0)  # unix seconds when history was last read
