"""The worker freezes its start-up heap: what start-up loaded leaves the collected
generations, what comes later is collected as usual."""

from __future__ import annotations

import gc

from supajobs_worker.heap import freeze_startup_heap


def test_startup_objects_are_frozen_and_later_ones_are_not() -> None:
    loaded = [object()]  # alive at start-up (like a module or a pydantic schema)
    try:
        frozen = freeze_startup_heap()
        later = [object()]
        assert frozen == gc.get_freeze_count() > 0
        tracked = gc.get_objects()  # the collected generations only
        assert not any(o is loaded for o in tracked)
        assert any(o is later for o in tracked)
    finally:
        gc.unfreeze()  # the rest of the test session collects as before
    assert gc.get_freeze_count() == 0
