#!/usr/bin/env python3
"""Markdown CPU: digest.markdown.render against a stock markdown-it-py parser, same bodies.

    .venv/bin/python bench/markdown.py                      # 1,000 generated articles
    .venv/bin/python bench/markdown.py /tmp/md10k --runs 7  # a corpus from gen_corpus.py

The reference is the parser as digest configured it before the fast parts
(commonmark + table + strikethrough, footnotes, anchors, our link check) and
the render steps of that time. Runs alternate reference and fast renders of
every body; each is timed by process CPU time (the machine is shared, so
wall clock is noisy), and the medians and their ratio are printed. Every
output is also compared once, so a faster render that differs is reported.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from markdown_it import MarkdownIt

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
GEN = REPO.parent / "shared" / "bench" / "gen_corpus.py"

from digest import markdown  # noqa: E402
from digest.frontmatter import split  # noqa: E402


@lru_cache(maxsize=2)
def stock_parser(allow_html: bool) -> MarkdownIt:
    """The parser exactly as digest.markdown.parser builds it, without the fast parts."""
    return markdown.stock_parser(allow_html)


def stock_render(text: str, allow_html: bool = False) -> markdown.Rendered:
    """digest.markdown.render as it was, on the stock parser."""
    md = stock_parser(allow_html)
    tokens = md.parse(markdown.NOT_XML.sub("\ufffd", text))
    html = md.renderer.render(tokens, md.options, {})
    if allow_html:
        html = markdown.sanitize(html)
    return markdown.Rendered(html=html, first_paragraph=markdown._first_paragraph(tokens))


def bodies_of(corpus: Path) -> list[str]:
    paths = sorted(corpus.glob("content/**/*.md")) or sorted(corpus.glob("**/*.md"))
    return [split(path.read_text(encoding="utf-8"), str(path)).body for path in paths]


def cpu_seconds(render: Callable[[str], markdown.Rendered], bodies: list[str]) -> float:
    start = time.process_time()
    for body in bodies:
        render(body)
    return time.process_time() - start


def mismatches(bodies: list[str]) -> int:
    def pair(rendered: markdown.Rendered) -> tuple[str, str]:
        return rendered.html, rendered.first_paragraph
    return sum(pair(stock_render(body)) != pair(markdown.render(body)) for body in bodies)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="?", type=Path, help="folder from gen_corpus.py --format digest")
    parser.add_argument("--articles", type=int, default=1000, help="size of a generated corpus")
    parser.add_argument("--runs", type=int, default=7, help="alternated runs of each renderer")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = args.corpus
        if corpus is None:
            corpus = Path(tmp) / "corpus"
            subprocess.run([sys.executable, str(GEN), str(args.articles), str(corpus), "--format", "digest"],
                           check=True, capture_output=True)
        bodies = bodies_of(corpus)
    print(f"{len(bodies)} bodies, {sum(map(len, bodies)) / max(len(bodies), 1):.0f} characters on average")
    print(f"outputs that differ from the stock parser: {mismatches(bodies)}")
    times: dict[str, list[float]] = {"stock": [], "digest": []}
    for _ in range(args.runs):
        times["stock"].append(cpu_seconds(stock_render, bodies))
        times["digest"].append(cpu_seconds(markdown.render, bodies))
    stock, fast = (statistics.median(times[k]) for k in ("stock", "digest"))
    for name, median in (("stock parser", stock), ("digest.render", fast)):
        runs = ", ".join(f"{t:.3f}" for t in times["stock" if median is stock else "digest"])
        print(f"{name:14} median {median:.3f} s CPU, {median * 1000 / len(bodies):.3f} ms per article"
              f"  (runs: {runs})")
    print(f"ratio digest/stock {fast / stock:.3f}: {100 * (1 - fast / stock):.1f}% less CPU")


if __name__ == "__main__":
    main()
