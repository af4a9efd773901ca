"""freee's deals and partners as `GET /api/1/deals` and `GET /api/1/partners` return them.

The models follow freee's published schema (freee/freee-api-schema, objects `deal` with its
`details` and `receipts` items, the `GET /deals` response `{deals, meta}`, `partnersResponse`):
strict on the fields the matcher uses, tolerant of the rest (freee adds fields over time).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError


class FreeeShapeError(ValueError):
    """A body that is not what freee returns; the message names the place, e.g.
    `deals[3].amount: Field required`."""


class _Tolerant(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)


class DealDetail(_Tolerant):
    id: int | None = None
    amount: int | None = None
    description: str | None = None


class DealReceipt(_Tolerant):
    """A file already attached to the deal (ファイルボックス)."""

    id: int
    status: str | None = None  # confirmed | deleted | ignored
    description: str | None = None


class Deal(_Tolerant):
    id: int = Field(ge=1)
    company_id: int
    issue_date: dt.date
    amount: int
    type: Literal["income", "expense"]
    partner_id: int | None = None
    ref_number: str | None = None
    status: str | None = None
    details: list[DealDetail] = []
    receipts: list[DealReceipt] = []

    @property
    def attached(self) -> list[int]:
        """Files on the deal that still count (freee keeps deleted ones in the list)."""
        return [r.id for r in self.receipts if r.status != "deleted"]


class Partner(_Tolerant):
    id: int
    name: str
    long_name: str | None = None
    shortcut1: str | None = None
    shortcut2: str | None = None
    invoice_registration_number: str | None = None

    @property
    def names(self) -> list[str]:
        return [n for n in (self.name, self.long_name, self.shortcut1, self.shortcut2) if n]


def _problem(exc: ValidationError, prefix: str) -> FreeeShapeError:
    first = exc.errors()[0]
    where = prefix + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in first["loc"])
    more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return FreeeShapeError(f"{where}: {first['msg']}{more}")


def _items(body: object, key: str, what: str) -> list[Any]:
    if not isinstance(body, dict) or not isinstance(body.get(key), list):
        raise FreeeShapeError(f"not the body of freee's {what}: expected an object with a "
                              f"{key!r} list")
    return list(body[key])


def parse_deals(body: object) -> list[Deal]:
    """The deals of a `GET /deals` body (income and expense; the matcher takes expenses)."""
    try:
        return [Deal.model_validate(d) for d in _items(body, "deals", "GET /deals")]
    except ValidationError as exc:
        raise _at(exc, body, "deals", Deal) from None


def parse_partner_records(body: object) -> dict[int, Partner]:
    try:
        partners = [Partner.model_validate(p) for p in _items(body, "partners", "GET /partners")]
    except ValidationError as exc:
        raise _at(exc, body, "partners", Partner) from None
    return {p.id: p for p in partners}


def parse_partners(body: object) -> dict[int, str]:
    """id -> name of a `GET /partners` body."""
    return {pid: p.name for pid, p in parse_partner_records(body).items()}


def _at(exc: ValidationError, body: Any, key: str, model: type[BaseModel]) -> FreeeShapeError:
    for index, item in enumerate(body[key]):  # find which item failed, to name it
        try:
            model.model_validate(item)
        except ValidationError as item_exc:
            return _problem(item_exc, f"{key}[{index}]")
    return _problem(exc, key)
