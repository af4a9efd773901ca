"""Duplicate receipts: exact, likely and perceptual matches (job type `duplicate_cleanup`)."""

from supajobs_receipts.dedup.perceptual import compute_phashes, hamming, image_phash
from supajobs_receipts.dedup.planner import DedupPlan, Duplicate, plan_duplicates
from supajobs_receipts.dedup.vendor import normalize_vendor

__all__ = [
    "DedupPlan",
    "Duplicate",
    "compute_phashes",
    "hamming",
    "image_phash",
    "normalize_vendor",
    "plan_duplicates",
]
