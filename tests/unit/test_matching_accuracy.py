"""The matcher on the held-out part of its generated corpus (its own vendors and seeds; the
rules were tuned on the tuning part only). docs/freee.md carries the full table."""

from __future__ import annotations

from supajobs_dev.matching.evaluate import evaluate


def test_held_out_attaches_almost_never_wrongly_and_most_of_the_time() -> None:
    tally = evaluate("held_out")
    assert tally.receipts == 180
    # measured: 95 right, 1 wrong (a same-day, same-amount deal with no name, for a receipt
    # that never reached freee), 60 left for review of 156 whose deal is there
    assert tally.attached_wrong <= 2, tally.wrong
    assert tally.attached_right / tally.in_freee >= 0.55


def test_the_corpus_is_deterministic_and_the_parts_differ() -> None:
    first, again = evaluate("tuning"), evaluate("tuning")
    assert first.rows() == again.rows()
    assert evaluate("held_out").rows() != first.rows()
