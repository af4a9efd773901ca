"""Calling the receipts RPCs from tests as clients do (service_role, named arguments), and
reading the history back as the verifier does."""

from __future__ import annotations

import hashlib
from typing import Any

import psycopg
from psycopg import sql
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from supajobs_receipts.evidence import HistoryRow

Row = dict[str, Any]


def call(conn: psycopg.Connection[Any], fn: str, **kwargs: Any) -> list[Row]:
    args = sql.SQL(", ").join(sql.SQL("{} => {}").format(sql.Identifier(k), sql.Placeholder())
                              for k in kwargs)
    query = sql.SQL("select * from receipts.{}({})").format(sql.Identifier(fn), args)
    values = [Jsonb(v) if isinstance(v, dict) else v for v in kwargs.values()]
    with conn.cursor(row_factory=dict_row) as cur:
        return list(cur.execute(query, values).fetchall())


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def save(conn: psycopg.Connection[Any], content: str, *, message_id: str = "<m@x>",
         name: str = "領収書.pdf", source: str = "mail") -> Row:
    return call(conn, "save_document", sha256=sha(content),
                stored_path=f"inbox/{sha(content)}.pdf", original_name=name,
                content_type="application/pdf", source=source, message_id=message_id)[0]


def read(conn: psycopg.Connection[Any], receipt_id: Any, **fields: Any) -> Row:
    return call(conn, "record_reading", receipt_id=receipt_id,
                fields={"needs_review": False, "source": "pdf_text", **fields})[0]


def history(conn: psycopg.Connection[Any], receipt_id: Any = None) -> list[HistoryRow]:
    rows = call(conn, "receipt_history", after_seq=0, max_rows=10000, receipt_id=receipt_id)
    return [HistoryRow.model_validate(r) for r in rows]
