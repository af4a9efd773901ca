"""The receipts schema's RPCs on the SDK's allow-list, with the casts their arguments need."""

from __future__ import annotations

from supajobs.functions import Returns, RpcFunction, register

_ID = {"receipt_id": "uuid"}
_DATES = {"date_from": "date", "date_to": "date"}
FUNCTIONS = (
    RpcFunction("save_document", Returns.ONE, True, {"received_at": "timestamptz"}, "receipts"),
    RpcFunction("get_receipt", Returns.ONE, True, _ID, "receipts"),
    RpcFunction("record_reading", Returns.ONE, True, {**_ID, "fields": "jsonb"}, "receipts"),
    RpcFunction("record_filing", Returns.ONE, True, _ID, "receipts"),
    RpcFunction("list_receipts", Returns.MANY, True,
                {"from_date": "date", "to_date": "date"}, "receipts"),
    RpcFunction("search_receipts", Returns.MANY, True, _DATES, "receipts"),
    RpcFunction("correct_receipt", Returns.ONE, False, {**_ID, "fields": "jsonb"}, "receipts"),
    RpcFunction("delete_receipt", Returns.ONE, False, _ID, "receipts"),
    RpcFunction("receipt_history", Returns.MANY, True, _ID, "receipts"),
    RpcFunction("list_copies", Returns.MANY, True, _ID, "receipts"),
    RpcFunction("suggest_duplicate", Returns.SCALAR, True,
                {**_ID, "duplicate_of": "uuid"}, "receipts"),
    RpcFunction("pending_duplicates", Returns.MANY, True, {}, "receipts"),
    RpcFunction("decide_duplicate", Returns.ONE, False, {}, "receipts"),
    RpcFunction("get_checkpoint", Returns.SCALAR, True, {}, "receipts"),
    RpcFunction("save_checkpoint", Returns.SCALAR, True, {"checkpoint": "jsonb"}, "receipts"),
    RpcFunction("record_backup", Returns.ONE, False, {"file_hashes": "text[]"}, "receipts"),
)
for _fn in FUNCTIONS:
    register(_fn)
