"""Allocating what lives until quit without Python's cyclic garbage collector.

A journal's parsed parts (ten years of entries, a century of check-ins) and the app's
first screen are hundreds of thousands of objects holding no cycles, kept until quit.
Made with the collector on, they are walked again and again as they are made (at a
hundred years, ~120 ms of the Journal's first visit went to collections finding nothing),
and again by every full collection after.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def long_lived() -> Iterator[None]:
    """Inside: the collector is off. After: everything that exists is frozen
    (``gc.freeze``: never walked by a collection again, still freed as usual once
    nothing refers to it), and the collector is on again if it was. A cycle that was
    already garbage at that moment is kept until ``gc.unfreeze`` (the app calls it when
    it ends)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_on:
            gc.enable()
