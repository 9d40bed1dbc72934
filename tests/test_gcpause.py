"""Keeping the cyclic collector off bulk work, and its state restored whatever happens."""

from __future__ import annotations

import gc

import pytest

from springrain.gcpause import collector_kept_off_existing, collector_paused


def test_the_collector_is_paused_for_the_block_and_restored_after_a_failure() -> None:
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector_paused():
        assert not gc.isenabled()
        raise RuntimeError
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()


def test_existing_objects_are_out_of_the_collectors_sight_for_the_block_only() -> None:
    kept = [{"record": n} for n in range(1000)]
    assert gc.get_freeze_count() == 0
    with pytest.raises(RuntimeError), collector_kept_off_existing():
        assert gc.get_freeze_count() >= len(kept)
        made_inside: list[object] = []
        made_inside.append(made_inside)  # a cycle made in the block is still collected
        del made_inside
        assert gc.collect() >= 1
        raise RuntimeError
    assert gc.get_freeze_count() == 0
