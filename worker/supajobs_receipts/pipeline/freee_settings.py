"""FreeeSettings: which freee company the sync works for and how it matches (SUPAJOBS_FREEE_*).

    SUPAJOBS_FREEE_COMPANY_ID      the company (事業所) id; else the one the freee grant stored
    SUPAJOBS_FREEE_SYNC            on | off: chain a freee_sync after each mail scan (default:
                                   on when a company id is set)
    SUPAJOBS_FREEE_AMOUNT_TOLERANCE_YEN   0: a deal may differ by this much (card fees)
    SUPAJOBS_FREEE_DAYS_BEFORE / _DAYS_AFTER  3 / 7: a deal's issue date may lie this many
                                   days before / after the receipt's date (feeds lag)
    SUPAJOBS_FREEE_LOOKBACK_DAYS   60: receipts older than this are left alone
    SUPAJOBS_FREEE_CREATE_DEALS    off: create the deal for a receipt no deal or feed line
                                   matched, once the window has passed; needs
                                   _DEAL_ACCOUNT_ITEM_ID and _DEAL_TAX_CODE
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from supajobs.errors import ConfigurationError

_SWITCH = {"on": True, "true": True, "1": True, "off": False, "false": False, "0": False}


@dataclass(frozen=True)
class FreeeSettings:
    company_id: int | None = None
    chain_after_scan: bool = False
    amount_tolerance_yen: int = 0
    days_before: int = 3
    days_after: int = 7
    lookback_days: int = 60
    create_deals: bool = False
    deal_account_item_id: int | None = None
    deal_tax_code: int | None = None

    def __post_init__(self) -> None:
        if self.create_deals and (self.deal_account_item_id is None or self.deal_tax_code is None):
            raise ConfigurationError("SUPAJOBS_FREEE_CREATE_DEALS needs "
                                     "SUPAJOBS_FREEE_DEAL_ACCOUNT_ITEM_ID and _DEAL_TAX_CODE")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> FreeeSettings:
        env = os.environ if env is None else env

        def number(name: str, default: int | None, low: int) -> int | None:
            raw = env.get(name, "").strip()
            if not raw:
                return default
            if not raw.isdigit() or int(raw) < low:
                raise ConfigurationError(f"{name} must be a whole number ≥ {low}, got {raw!r}")
            return int(raw)

        def switch(name: str, default: bool) -> bool:
            raw = env.get(name, "").strip().lower()
            if raw and raw not in _SWITCH:
                raise ConfigurationError(f"{name} must be on or off, got {raw!r}")
            return _SWITCH.get(raw, default)

        company = number("SUPAJOBS_FREEE_COMPANY_ID", None, 1)
        return cls(company_id=company,
                   chain_after_scan=switch("SUPAJOBS_FREEE_SYNC", company is not None),
                   amount_tolerance_yen=number("SUPAJOBS_FREEE_AMOUNT_TOLERANCE_YEN", 0, 0) or 0,
                   days_before=number("SUPAJOBS_FREEE_DAYS_BEFORE", 3, 0) or 0,
                   days_after=number("SUPAJOBS_FREEE_DAYS_AFTER", 7, 0) or 0,
                   lookback_days=number("SUPAJOBS_FREEE_LOOKBACK_DAYS", 60, 1) or 60,
                   create_deals=switch("SUPAJOBS_FREEE_CREATE_DEALS", False),
                   deal_account_item_id=number("SUPAJOBS_FREEE_DEAL_ACCOUNT_ITEM_ID", None, 1),
                   deal_tax_code=number("SUPAJOBS_FREEE_DEAL_TAX_CODE", None, 0))
