"""The base of every value the SDK returns: frozen, and tolerant of columns added later."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    # Frozen values; unknown columns (added by later migrations) are ignored.
    model_config = ConfigDict(frozen=True, extra="ignore")
