#!/usr/bin/env python3
"""Screenshots of the example site: home page, one article page and the search
page (with results), at phone and desktop widths, in light and dark colour schemes.

    .venv/bin/python scripts/screenshots.py [--output DIR] [--dest DIR] [--full-page]

Without --output the example site is built into a temporary folder first;
with --output DIR an existing build in DIR is used. The site is served over
http on 127.0.0.1 and shot with Debian's chromium (see tests/tools.py), and
the PNG files land in --dest (default docs/screenshots/). Prints their paths.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from urllib.parse import urljoin

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "tests"))

import tools  # noqa: E402  (tests/tools.py)

VIEWPORTS = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 900}},
}
SCHEMES = ("light", "dark")
# Links from the home page to an article, tried in order (as in tests/test_clients.py).
SEARCH = "search/?q=opec"
ARTICLE_LINKS = ["main article h2 a[href]", "main article h3 a[href]", "main article a[href]", "article a[href]"]


def first_article_url(page, base_url: str) -> str:
    home = page.url
    for selector in ARTICLE_LINKS:
        for href in page.locator(selector).evaluate_all("els => els.map(e => e.href)"):
            url = urljoin(home, href).split("#")[0]
            if url.startswith(base_url) and url.rstrip("/") != home.rstrip("/"):
                return url
    raise SystemExit(f"screenshots: no article link on the home page (tried {ARTICLE_LINKS})")


def shoot(site: Path, dest: Path, full_page: bool) -> list[Path]:
    from playwright.sync_api import sync_playwright

    dest.mkdir(parents=True, exist_ok=True)
    written = []
    with tools.serve_directory(site) as base_url, sync_playwright() as playwright:
        browser = tools.launch_chromium(playwright)
        try:
            context = browser.new_context()
            page = context.new_page()
            page.goto(base_url)
            pages = {"home": base_url, "article": first_article_url(page, base_url),
                     "search": urljoin(base_url, SEARCH)}
            context.close()

            for device, options in VIEWPORTS.items():
                for scheme in SCHEMES:
                    context = browser.new_context(color_scheme=scheme, **options)
                    # No network here: block anything not served locally.
                    context.route(
                        lambda url: not url.startswith(base_url) and "://" in url,
                        lambda route: route.abort(),
                    )
                    page = context.new_page()
                    for name, url in pages.items():
                        page.goto(url, wait_until="load")
                        page.evaluate("document.fonts.ready.then(() => true)")
                        if name == "search":  # the results come from the Pagefind index
                            page.wait_for_function(
                                "document.querySelector('[data-search-status]').textContent.length > 0")
                        path = dest / f"{name}-{device}-{scheme}.png"
                        page.screenshot(path=str(path), full_page=full_page)
                        written.append(path)
                    context.close()
        finally:
            browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, help="use an existing build in DIR instead of building")
    parser.add_argument("--dest", type=Path, default=REPO_ROOT / "docs" / "screenshots",
                        help="where to write the PNG files (default: docs/screenshots/)")
    parser.add_argument("--full-page", action="store_true", help="capture whole pages, not just the viewport")
    args = parser.parse_args(argv)

    if tools.find_chromium() is None:
        print(f"screenshots: {tools.CHROMIUM} not found; run ./scripts/test once "
              "(or apt-get install chromium)", file=sys.stderr)
        return 1

    with tempfile.TemporaryDirectory(prefix="digest-screenshots-") as tmp:
        if args.output:
            site = args.output.resolve()
            if not (site / "index.html").is_file():
                print(f"screenshots: {site} has no index.html; is it a built site?", file=sys.stderr)
                return 1
        else:
            try:
                site = tools.build_example(tmp)
            except AssertionError as exc:
                print(f"screenshots: {exc}", file=sys.stderr)
                return 1
        for path in shoot(site, args.dest.resolve(), args.full_page):
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
