"""Receipts and deals that compete (connected through candidate pairs), and the assignment
of most total score within such a group (scipy's linear_sum_assignment)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment  # type: ignore[import-untyped]

from supajobs_receipts.matching.freee_shapes import Deal

NOT_A_PAIR = -1e6  # far below any real total: the solver never picks it


@dataclass(frozen=True)
class Group:
    receipts: frozenset[int]
    deals: frozenset[int]


def groups(scores: Mapping[tuple[int, int], float]) -> list[Group]:
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def root(node: tuple[str, int]) -> tuple[str, int]:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]  # halve the path
            node = parent[node]
        return node

    for r, d in scores:
        parent[root(("r", r))] = root(("d", d))
    members: dict[tuple[str, int], tuple[set[int], set[int]]] = {}
    for node in list(parent):
        rs, ds = members.setdefault(root(node), (set(), set()))
        (rs if node[0] == "r" else ds).add(node[1])
    return [Group(frozenset(rs), frozenset(ds)) for rs, ds in members.values()]


def best_assignment(group: Group, scores: Mapping[tuple[int, int], float], min_score: float,
                    deals: Mapping[int, Deal], forbid: tuple[int, int] | None = None
                    ) -> tuple[dict[int, int], float]:
    """receipt -> deal for the most total score over pairs that may be attached (score at
    least `min_score`, the deal without a file); a receipt may stay unassigned (0)."""
    rows, cols = sorted(group.receipts), sorted(group.deals)
    if not rows:
        return {}, 0.0
    value = np.full((len(rows), len(cols) + len(rows)), NOT_A_PAIR)
    for a, r in enumerate(rows):
        value[a, len(cols) + a] = 0.0  # staying unassigned
        for b, d in enumerate(cols):
            s = scores.get((r, d))
            if s is not None and s >= min_score and not deals[d].attached and forbid != (r, d):
                value[a, b] = s
    picked_rows, picked_cols = linear_sum_assignment(value, maximize=True)
    chosen = {rows[a]: cols[b] for a, b in zip(picked_rows, picked_cols, strict=True)
              if b < len(cols)}
    return chosen, float(value[picked_rows, picked_cols].sum())
