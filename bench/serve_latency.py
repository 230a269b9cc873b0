#!/usr/bin/env python3
"""Save-to-screen latency of `digest serve`, measured with real Chromium.

For each run: write a new sentence into an article, then time until the open
page shows it (rebuild + reload channel + page load). Prints the median.

    .venv/bin/python bench/serve_latency.py                      # the example site
    .venv/bin/python bench/serve_latency.py --corpus 10000       # ../shared/bench corpus
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
GEN = REPO.parent / "shared" / "bench" / "gen_corpus.py"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def make_site(tmp: Path, corpus: int) -> Path:
    site = tmp / "site"
    if corpus:
        subprocess.run([sys.executable, str(GEN), str(corpus), str(site), "--format", "digest"],
                       check=True, stdout=subprocess.DEVNULL)
    else:
        site.mkdir()
        shutil.copy(REPO / "site.toml", site)
        shutil.copytree(REPO / "content", site / "content")
    return site


def _foreground_ctrl_c() -> None:
    """Ctrl-C as in a terminal: started from a background job (`./scripts/test &`), SIGINT is
    ignored and the child would inherit that, and never stop on the SIGINT sent below."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start(site: Path) -> tuple[subprocess.Popen[str], str]:
    # As an editor starts it: the installed program, in the site folder, no --site.
    proc = subprocess.Popen([str(Path(sys.executable).parent / "digest"), "serve", "--port", "0",
                             "--no-drafts"], cwd=site, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"}, preexec_fn=_foreground_ctrl_c)
    assert proc.stderr is not None
    for line in proc.stderr:
        match = re.search(r"at (http://\S+/)", line)
        if match:
            threading.Thread(target=lambda: [None for _ in proc.stderr], daemon=True).start()
            return proc, match.group(1)
    raise SystemExit("server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=int, default=0, help="articles of a generated corpus (0: example site)")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("XDG_CONFIG_HOME", str(Path(tmp) / "config"))
        os.environ.setdefault("XDG_CACHE_HOME", str(Path(tmp) / "cache"))
        site = make_site(Path(tmp), args.corpus)
        started = time.perf_counter()
        proc, url = start(site)
        print(f"server up after {time.perf_counter() - started:.1f} s")
        article = sorted((site / "content").rglob("*.md"))[0]
        original = article.read_text(encoding="utf-8")
        head, sep, body = original.partition("\n---\n")
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
                page = browser.new_page()
                page.goto(url + "__digest__/status")
                address = _url_of(page, url, article)
                page.goto(address)
                times = []
                for run in range(args.runs):
                    marker = f"Latency marker {run} {time.time_ns()}"
                    t0 = time.perf_counter()
                    article.write_text(f"{head}{sep}{marker}.\n\n{body}", encoding="utf-8")
                    page.wait_for_selector(f"text={marker}", timeout=60_000)
                    times.append(time.perf_counter() - t0)
                    time.sleep(0.3)
                browser.close()
        finally:
            proc.send_signal(signal.SIGINT)
            proc.wait(30)
    ms = sorted(t * 1000 for t in times)
    print(f"site: {'example' if not args.corpus else f'{args.corpus} articles'}; runs: {len(ms)}")
    print(f"save → visible: median {statistics.median(ms):.0f} ms, min {ms[0]:.0f}, max {ms[-1]:.0f}")


def _url_of(page, url: str, article: Path) -> str:
    """The article's page: found through the home page list by its title."""
    title = re.search(r'^title:\s*"?(.*?)"?\s*$', article.read_text(), re.M).group(1)
    page.goto(url)
    for _ in range(2000):
        link = page.locator("a", has_text=title).first
        if link.count():
            return url.rstrip("/") + link.get_attribute("href")
        older = page.locator("a[rel=next]").first
        if not older.count():
            break
        page.goto(url.rstrip("/") + older.get_attribute("href"))
    raise SystemExit(f"article {title!r} not found")


if __name__ == "__main__":
    main()
