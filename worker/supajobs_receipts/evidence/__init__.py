"""Receipts as evidence: the history's hash chain, verification of the store, exports."""

from supajobs_receipts.evidence.chain import GENESIS, ChainProblem, check_chain, content
from supajobs_receipts.evidence.history import HistoryRow

__all__ = ["GENESIS", "ChainProblem", "HistoryRow", "check_chain", "content"]
