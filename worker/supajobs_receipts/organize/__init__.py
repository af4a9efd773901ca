"""Naming and filing receipts in a file store (job type `file_organize`)."""

from supajobs_receipts.organize.naming import receipt_path
from supajobs_receipts.organize.organizer import OrganizeResult, organize_receipt
from supajobs_receipts.organize.records import ReceiptRecord

__all__ = ["OrganizeResult", "ReceiptRecord", "organize_receipt", "receipt_path"]
