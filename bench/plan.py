"""Planning cost: routes.plan and related() alone, a baseline commit's versions against the working tree's.

    .venv/bin/python bench/plan.py SITE [--runs 5] [--baseline dc14e27]

The site is read and indexed once; then each run times, in CPU seconds
(process_time: the machine is shared), routes.plan with the baseline's
related() and with ours, then related() alone for every article, and
build_index, baseline and ours in turn. Medians are printed, with the ratio,
and the related articles of every article are compared (mismatches must be 0).
"""
from __future__ import annotations

import argparse
import importlib.util
import re
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

from digest.site import index as index_module
from digest.site import related as related_module
from digest.site import routes
from digest.site.pipeline import prepare
from digest.site.records import BuildOptions

ROOT = Path(__file__).resolve().parent.parent


# Where the modules a baseline's related.py and index.py import live now (digest/ was flat until 1d43d41).
MOVED = {"index": "site.index", "model": "site.model", "slugs": "site.slugs", "related": "site.related"}


def baseline(name: str, rev: str) -> ModuleType:
    """digest/site/<name>.py as it was at `rev` (digest/<name>.py before the layout change),
    loaded as a module of its own, its imports pointed at today's modules."""
    source = ""
    for path in (f"digest/site/{name}.py", f"digest/{name}.py"):
        shown = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:{path}"], capture_output=True, text=True)
        if shown.returncode == 0:
            source = shown.stdout
            break
    if not source:
        raise SystemExit(f"{rev} has no digest/site/{name}.py or digest/{name}.py")
    source = re.sub(r"\bfrom digest\.(\w+) import", lambda m: f"from digest.{MOVED.get(m.group(1), m.group(1))} import",
                    source)
    folder = Path(tempfile.mkdtemp())
    path = folder / f"baseline_{name}.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location(f"baseline_{name}", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def cpu(work: Callable[[], Any]) -> float:
    start = time.process_time()
    work()
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--baseline", default="dc14e27", help="commit whose digest/site/related.py and digest/site/index.py to compare")
    args = parser.parse_args()

    old_related, old_index = baseline("related", args.baseline), baseline("index", args.baseline)
    prepared = prepare(args.site, BuildOptions())
    index, config, limit = prepared.index, prepared.config, prepared.config.related
    articles = index.articles
    chosen = list(articles)
    now = datetime.now(UTC)
    print(f"{len(articles)} articles, related = {limit}, {len(prepared.pages)} pages")

    wrong = sum(old_related.related(index, a, limit) != related_module.related(index, a, limit) for a in articles)
    print(f"related articles differing from the baseline's: {wrong} of {len(articles)}")

    def plan_with(function: Callable[..., Any]) -> Callable[[], Any]:
        def work() -> None:
            related_module._last = None  # each run builds the tables again, as a build does
            routes.related = function  # type: ignore[attr-defined]
            try:
                routes.plan(index, config, now)
            finally:
                routes.related = related_module.related  # type: ignore[attr-defined]
        return work

    def related_with(function: Callable[..., Any]) -> Callable[[], Any]:
        def work() -> None:
            related_module._last = None
            for a in articles:
                function(index, a, limit)
        return work

    def index_with(module: ModuleType) -> Callable[[], Any]:
        return lambda: module.build_index(chosen, config.taxonomies)

    cases = {
        "routes.plan": (plan_with(old_related.related), plan_with(related_module.related)),
        "related, every article": (related_with(old_related.related), related_with(related_module.related)),
        "build_index": (index_with(old_index), index_with(index_module)),
    }
    for name, (before, after) in cases.items():
        old_times, new_times = [], []
        for _ in range(args.runs):  # alternated, so a busy moment of the machine hits both
            old_times.append(cpu(before))
            new_times.append(cpu(after))
        old, new = statistics.median(old_times), statistics.median(new_times)
        print(f"{name:24} baseline {old:7.3f} s   now {new:7.3f} s   {old / new:5.1f}x   (CPU, median of {args.runs})")


if __name__ == "__main__":
    main()
