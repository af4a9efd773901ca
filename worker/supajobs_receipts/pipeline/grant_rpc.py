"""The OAuth grant RPCs (supabase/schemas/receipts/30_grants.sql, 31_grant_refresh.sql) on the
SDK's allow-list, with the casts their arguments need."""

from __future__ import annotations

from supajobs.functions import Returns, RpcFunction, register

_EXPIRES = {"expires_at": "timestamptz"}
FUNCTIONS = (
    RpcFunction("grant_status", Returns.MANY, True, {}, "receipts"),
    RpcFunction("get_grant", Returns.MANY, True, {}, "receipts"),
    RpcFunction("store_grant", Returns.MANY, False,
                {**_EXPIRES, "scopes": "text[]", "extra": "jsonb"}, "receipts"),
    # Not idempotent: a repeat after a lost answer must not be taken for a second success.
    RpcFunction("begin_refresh", Returns.MANY, False,
                {"lease_seconds": "integer", "seen_generation": "bigint"}, "receipts"),
    RpcFunction("finish_refresh", Returns.SCALAR, False,
                {**_EXPIRES, "generation": "bigint", "scopes": "text[]"}, "receipts"),
    RpcFunction("release_refresh", Returns.SCALAR, True, {}, "receipts"),
    RpcFunction("fail_refresh", Returns.SCALAR, False, {"generation": "bigint"}, "receipts"),
)
for _fn in FUNCTIONS:
    register(_fn)
