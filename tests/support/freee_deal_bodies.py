"""GET /deals and GET /partners bodies shaped as freee's schema describes them (objects
`deal`, its `details`/`receipts` items, `partnersResponse`), for the matcher's tests."""

from __future__ import annotations

from typing import Any


def deal(deal_id: int, issue_date: str, amount: int, *, partner_id: int | None = None,
         description: str | None = None, kind: str = "expense",
         receipts: list[int] | None = None) -> dict[str, Any]:
    return {
        "id": deal_id, "company_id": 1, "issue_date": issue_date, "due_date": None,
        "amount": amount, "due_amount": 0, "type": kind, "partner_id": partner_id,
        "partner_code": None, "ref_number": None, "status": "settled",
        "deal_origin_name": "自動で経理" if partner_id is None else "手動",
        "details": [{"id": deal_id * 10, "account_item_id": 803, "tax_code": 136,
                     "partner_id": partner_id, "partner_code": None, "item_id": None,
                     "section_id": None, "tag_ids": [], "segment_1_tag_id": None,
                     "amount": amount, "vat": amount * 10 // 110, "description": description,
                     "entry_side": "debit"}],
        "payments": [],
        "receipts": [{"id": r, "status": "confirmed", "description": "", "mime_type":
                      "application/pdf", "issue_date": issue_date, "origin": "public_api",
                      "created_at": "2026-11-30T10:00:00+09:00", "file_src": "https://x",
                      "user": {"id": 1, "email": "u@example.com", "display_name": "u"}}
                     for r in (receipts or [])],
    }


def deals_body(*deals: dict[str, Any]) -> dict[str, Any]:
    return {"deals": list(deals), "meta": {"total_count": len(deals)}}


def partner(partner_id: int, name: str, *, long_name: str | None = None,
            invoice_number: str | None = None) -> dict[str, Any]:
    return {"id": partner_id, "code": None, "company_id": 1, "name": name,
            "update_date": "2026-11-01", "available": True, "shortcut1": None,
            "shortcut2": None, "org_code": None, "country_code": "JP", "long_name": long_name,
            "name_kana": None, "default_title": "御中", "phone": None, "contact_name": None,
            "email": None, "payer_walletable_id": None, "transfer_fee_handling_side": "payer",
            "qualified_invoice_issuer": invoice_number is not None,
            "invoice_registration_number": invoice_number}


def partners_body(*partners: dict[str, Any]) -> dict[str, Any]:
    return {"partners": list(partners)}
