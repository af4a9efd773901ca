"""A bank or card feed's line as freee holds it before anyone books it (自動で経理), from
freee's schema object `wallet_txn` (GET /api/1/wallet_txns)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict


class WalletTxn(BaseModel):
    """One of GET /wallet_txns' `wallet_txns` (明細: the bank or card feed's line)."""

    model_config = ConfigDict(frozen=True, extra="allow")
    id: int
    date: str
    amount: int
    due_amount: int
    entry_side: Literal["income", "expense"]
    walletable_type: str
    walletable_id: int
    description: str
    status: int
