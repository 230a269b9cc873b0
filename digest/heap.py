"""The garbage collector during a build: no rescans of a heap that only grows.

A build loads and makes millions of small objects (cached articles, the
manifest, the plan) that all live until it ends. CPython's default
thresholds scan them again hundreds of times: a quarter of a 10,000-article
body edit went to collections that freed nothing. Cycles are still
collected, only less often.
"""
from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

THRESHOLD = 50_000  # allocations between young collections (CPython's default: 700)


@contextmanager
def build_heap() -> Iterator[None]:
    """Collect rarely while a build runs; `settle` may freeze what it loaded. Restored on exit."""
    old = gc.get_threshold()
    frozen = gc.get_freeze_count()
    gc.set_threshold(THRESHOLD, old[1], old[2])
    try:
        yield
    finally:
        gc.set_threshold(*old)
        if not frozen:
            gc.unfreeze()


def settle() -> None:
    """Move everything alive now (the loaded cache) out of the collector's sight until the build ends."""
    gc.freeze()
