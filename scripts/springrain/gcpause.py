"""Pausing Python's cyclic garbage collector around bulk work that makes no cycles."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Building hundreds of thousands of rows or objects that form no cycles makes the
    collector walk the growing heap again and again (a third of reading the package back,
    a fifth of matching); pause it for the duration and restore its state after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def collector_kept_off_existing() -> Iterator[None]:
    """Every object made so far left out of the collector's walks for the block (it is
    moved to a generation the collector never visits): for a large structure that lives
    through the block and forms no cycle worth finding, such as the package a site is
    built from. At 20,000 projects the collector otherwise walked the package again in
    each full collection while the site was built, half a second each time; and workers
    forked in the block, collecting, would touch and so copy every page that holds it."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
