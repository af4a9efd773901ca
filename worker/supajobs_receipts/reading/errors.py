"""Why a file could not be read as a receipt: a per-file outcome, never a crashed worker."""

from __future__ import annotations

from enum import StrEnum


class UnreadableReason(StrEnum):
    EMPTY_FILE = "empty_file"
    TOO_LARGE = "too_large"
    UNSUPPORTED_FORMAT = "unsupported_format"
    CORRUPT_PDF = "corrupt_pdf"
    ENCRYPTED_PDF = "encrypted_pdf"
    CORRUPT_IMAGE = "corrupt_image"
    EMPTY_IMAGE = "empty_image"
    OCR_FAILED = "ocr_failed"
    NOT_A_RECEIPT = "not_a_receipt"


class UnreadableReceipt(Exception):  # noqa: N818 - the name the pipeline and CLI use
    """The file cannot yield receipt fields. Deterministic, so retrying never helps."""

    retryable = False

    def __init__(self, reason: UnreadableReason, detail: str) -> None:
        super().__init__(f"{reason.value}: {detail}")
        self.reason = reason
        self.detail = detail

    def __reduce__(self) -> tuple[type[UnreadableReceipt], tuple[UnreadableReason, str]]:
        return (UnreadableReceipt, (self.reason, self.detail))
