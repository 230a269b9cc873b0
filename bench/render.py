#!/usr/bin/env python3
"""CPU time of the render stage alone: views plus templates, every page, one process.

    .venv/bin/python bench/render.py SITE                          # this checkout, 5 passes
    .venv/bin/python bench/render.py SITE --compare /tmp/head-wt   # alternate with another checkout

The site is read, indexed and planned once (digest.site.pipeline.prepare); then each
pass renders every page the way a one-job build does (a fresh Theme, so what
partial() keeps starts empty; a fresh Views memo per batch with the list entries
shared; feeds first) and is timed with process_time, because the machine is
shared and wall time would measure the neighbours. The first pass only warms
up (templates compile). With --compare each run is a separate process per
checkout (PYTHONPATH points at it), the checkouts alternating run by run.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


def renderer(site: Path) -> Callable[[], None]:
    """Plan the site once; the function it returns renders every page of it once."""
    from digest.render.theme import Theme
    from digest.render.views import Views
    from digest.render.workers import heavy_first
    from digest.site.pipeline import prepare
    from digest.site.records import BuildOptions
    from digest.site.routes import view_of

    now = datetime.now(UTC)
    prepared = prepare(site, BuildOptions(now=now))
    order = heavy_first(list(range(len(prepared.pages))), prepared.pages)
    size = max(16, min(256, len(order) // 16 + 1))  # the builder's batch size with one job
    batches = [order[i:i + size] for i in range(0, len(order), size)]

    def render_all() -> None:
        theme = Theme(prepared.config)  # one build's: what partial() keeps starts empty
        items: dict[str, Any] = {}  # list entries, shared by the batches as a worker shares them
        for batch in batches:
            views = Views(prepared.index, prepared.config, now, items=items)
            for i in batch:
                page = prepared.pages[i]
                theme.render(page, view_of(page, views))

    return render_all


def passes(site: Path, count: int) -> list[float]:
    """CPU seconds of `count` full render passes over the site, after one warm-up pass."""
    render_all = renderer(site)
    times = []
    for _ in range(count + 1):
        start = time.process_time()
        render_all()
        times.append(time.process_time() - start)
    return times[1:]


def compare(site: Path, checkouts: list[Path], runs: int) -> dict[str, list[float]]:
    """Each checkout in its own process, alternating; the best pass of each process."""
    found: dict[str, list[float]] = {str(c): [] for c in checkouts}
    for _ in range(runs):
        for checkout in checkouts:
            env = dict(os.environ, PYTHONPATH=str(checkout))
            out = subprocess.run([sys.executable, __file__, str(site), "--passes", "2", "--json"],
                                 env=env, check=True, capture_output=True, text=True, cwd=checkout).stdout
            found[str(checkout)].append(min(json.loads(out)))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path)
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument("--runs", type=int, default=5, help="processes per checkout with --compare")
    parser.add_argument("--compare", type=Path, action="append", default=[],
                        help="another checkout to alternate with (repeatable)")
    parser.add_argument("--json", action="store_true", help="print the pass times as JSON")
    args = parser.parse_args()
    site = args.site.resolve()
    if args.compare:
        here = Path(__file__).resolve().parent.parent
        for checkout, times in compare(site, [here, *(c.resolve() for c in args.compare)], args.runs).items():
            print(f"{checkout}: median {statistics.median(times):.3f} s CPU "
                  f"(runs: {', '.join(f'{t:.3f}' for t in times)})")
        return
    times = passes(site, args.passes)
    if args.json:
        print(json.dumps(times))
    else:
        print(f"render CPU: median {statistics.median(times):.3f} s over {len(times)} passes "
              f"(min {min(times):.3f}, max {max(times):.3f})")


if __name__ == "__main__":
    main()
