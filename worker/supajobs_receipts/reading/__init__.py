"""Reading receipts: PDF text or Japanese OCR, then date, total, tax, vendor and T-number."""

from .errors import UnreadableReason, UnreadableReceipt
from .model import ReceiptFields
from .reader import ReadOptions, read_receipt

__all__ = ["ReadOptions", "ReceiptFields", "UnreadableReason", "UnreadableReceipt", "read_receipt"]
