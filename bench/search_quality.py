#!/usr/bin/env python3
"""Search quality: the same 20 queries on two builds of one site, in Chromium, compared.

    .venv/bin/python bench/search_quality.py BEFORE/public AFTER/public --queries corpus
    .venv/bin/python bench/search_quality.py BEFORE/public AFTER/public --queries example

Each query is typed into the search page of each build (its own search.js and index)
and the articles it lists are read off the page: the total found, and the top results
in order. `corpus` suits sites from ../shared/bench/gen_corpus.py, `example` this
repository's example site. Exit 1 when any query's top results differ.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests import tools

Query = tuple[str, dict[str, str]]
QUERIES: dict[str, list[Query]] = {
    "corpus": [  # words of bodies and titles, then a tag, a region and a source filter
        ("harbor", {}), ("reservoir", {}), ("lowmoor", {}), ("pension", {}), ("satellite", {}),
        ("laboratory", {}), ("orchard hill", {}), ("kestrel point", {}), ("unanimously", {}),
        ("scrutiny", {}), ("audit", {}), ("consortium", {}), ("why", {}), ("deal", {}),
        ("cooperative", {}), ("tunnel budget", {}),
        ("harbor", {"tags": "education"}), ("", {"regions": "Caribbean"}),
        ("budget", {"regions": "Pacific Islands"}), ("", {"sources": "The Cedar Messenger"}),
    ],
    "example": [
        ("opec", {}), ("output cut", {}), ("vienna", {}), ("sanctions", {}), ("moscow", {}),
        ("referendum", {}), ("wallets", {}), ("markets", {}), ("climate", {}), ("trade", {}),
        ("lima", {}), ("seattle", {}), ("peso", {}), ("harbour", {}), ("transition", {}), ("adaptation", {}),
        ("oil", {"tags": "Markets"}), ("", {"tags": "Trade"}), ("", {"regions": "USA"}),
        ("", {"sources": "The Baltic Ledger"}),
    ],
}


def run_queries(browser, site: Path, queries: list[Query], top: int) -> list[tuple[str, list[str]]]:
    """(status line, top result paths) of each query, as the site's search page shows them."""
    out = []
    with tools.serve_directory(site) as base:
        page = browser.new_page()
        for words, filters in queries:
            params = "&".join([f"q={words}"] + [f"{k}={v}" for k, v in filters.items()])
            page.goto(f"{base}search/?{params}")
            page.wait_for_selector("form[data-ready]")
            page.wait_for_function("document.querySelector('[data-search-status]').textContent.length > 0")
            status = page.locator("[data-search-status]").inner_text()
            links = page.locator("[data-search-results] a").evaluate_all(
                "els => els.map(e => new URL(e.href).pathname)")
            out.append((status, links[:top]))
        page.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--queries", choices=sorted(QUERIES), default="corpus")
    parser.add_argument("--top", type=int, default=10, help="results compared per query")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    queries = QUERIES[args.queries]
    with sync_playwright() as playwright:
        browser = tools.launch_chromium(playwright)
        before = run_queries(browser, args.before, queries, args.top)
        after = run_queries(browser, args.after, queries, args.top)
        browser.close()
    differ = 0
    print(f"| query | filters | before | after | top {args.top} |")
    print("|---|---|---|---|---|")
    for (words, filters), (status_a, top_a), (status_b, top_b) in zip(queries, before, after):
        if top_a == top_b:
            verdict = "same"
        elif set(top_a) == set(top_b):
            verdict = "same set, other order"
        else:
            verdict = f"{len(set(top_a) & set(top_b))} of {len(top_a)} shared"
        differ += top_a != top_b
        shown = ", ".join(f"{k}={v}" for k, v in filters.items())
        print(f"| {words or '—'} | {shown} | {status_a} | {status_b} | {verdict} |")
    print(f"\n{len(queries) - differ} of {len(queries)} queries list the same top {args.top} in the same order.")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
