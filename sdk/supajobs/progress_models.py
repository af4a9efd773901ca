"""How far a running job is, as its handler last said (`ctx.progress`, docs/worker.md)."""

from __future__ import annotations

from datetime import datetime

from supajobs.model_base import Model


class JobProgress(Model):
    attempt: int  # the attempt that reported it: an older attempt's figure is history
    fraction: float | None = None  # 0..1 when known (a fraction, or current / total)
    current: float | None = None   # a count, e.g. pages read
    total: float | None = None
    message: str | None = None
    updated_at: datetime

    def describe(self) -> str:
        """'40 % (4/10) reading page 4'; the parts that are known."""
        parts: list[str] = []
        if self.fraction is not None:
            parts.append(f"{self.fraction * 100:.0f} %")
        if self.current is not None:
            count = f"{self.current:g}" + (f"/{self.total:g}" if self.total is not None else "")
            parts.append(f"({count})" if parts else count)
        if self.message:
            parts.append(self.message)
        return " ".join(parts) or "started"
