"""Static full-text search: the /search/ page, and the Pagefind index of the built site.

Article pages mark what is indexed (``data-pagefind-body``), their filters
(``data-pagefind-filter="tags"``, ``regions``, ``sources``) and metadata; the
build runs Pagefind over the staging folder before it is swapped in, so the
index never describes pages other than the ones published with it. Without
JavaScript the search page's form searches the web for the site instead,
and the page lists the topic, region and source indexes.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from digest.config import Config
from digest.errors import BuildFailed, DigestError
from digest.index import SOURCES
from digest.model import Page, SiteIndex

SEARCH_URL = "/search/"
BUNDLE = "pagefind"
TIMEOUT = 600  # seconds; Pagefind indexes thousands of pages a second
WEB_SEARCH = "https://duckduckgo.com/"  # the no-JavaScript fallback; `sites=` limits it to us


class SearchError(DigestError):
    """Pagefind is missing or failed on the built site."""


def search_pages(index: SiteIndex, config: Config) -> list[Page]:
    """The search page, when search is on; its args carry the filter choices it offers."""
    if not config.search:
        return []
    groups = [(tax, label, index.terms.get(tax, {})) for tax, label in config.taxonomies.items()]
    groups.append((SOURCES, "Sources", index.sources))
    filters = tuple((tax, label, tuple(sorted((t.name for t in terms.values()), key=str.casefold)))
                    for tax, label, terms in groups if terms)
    return [Page(SEARCH_URL, "search.html", "search", (filters,))]


def search_view(page: Page, views: Any) -> dict[str, Any]:
    config: Config = views.config
    (filters,) = page.args
    return {
        "page": {"kind": "search", "title": "Search", "heading": "Search", "url": page.url,
                 "description": f"Search the articles of {config.title}", "feed_url": None,
                 "canonical": config.base_url + page.url.lstrip("/")},
        "search": {
            "web_action": WEB_SEARCH, "web_site": urlsplit(config.base_url).hostname or "",
            "filters": [{"key": key, "label": label, "options": list(names)}
                        for key, label, names in filters],
        },
    }


def index_site(folder: Path, config: Config) -> None:
    """Index a complete site folder before it is swapped in (the build's staging or spare copy).

    The old bundle goes first: Pagefind names its files by content hash and would
    leave the previous ones beside the new. With search off, an empty folder stands
    in, so no stale index survives.
    """
    bundle = folder / BUNDLE
    shutil.rmtree(bundle, ignore_errors=True)
    if not config.search:
        bundle.mkdir()
        return
    _pagefind(folder, bundle)


def _pagefind(site: Path, bundle: Path) -> None:
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-path", str(bundle),
               "--silent"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT,
                                env={**os.environ, "NO_COLOR": "1"}, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BuildFailed([_error(f"could not run Pagefind: {exc}")]) from None
    if result.returncode != 0 or not (bundle / "pagefind.js").is_file():
        detail = (result.stderr or result.stdout).strip().splitlines()[-3:]
        raise BuildFailed([_error("Pagefind failed: " + (" | ".join(detail) or f"exit {result.returncode}"))])


def _error(message: str) -> SearchError:
    return SearchError("site.toml", message, field="search",
                       hint="pip install 'pagefind[bin]' (it comes with digest), or set search = false")


BUILDERS = {"search": search_view}
