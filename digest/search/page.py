"""Static full-text search: the /search/ page, and what the build's index is made of.

Article pages mark what is indexed (``data-pagefind-body``), their filters
(``data-pagefind-filter="tags"``, ``regions``, ``sources``) and metadata. Only
article pages are indexed, in shards by date (digest/search/shards.py), each shard its own
Pagefind bundle, kept from build to build until its articles change
(digest/search/index.py); /pagefind/pagefind.js merges them in the browser. Without
JavaScript the search page's form searches the web for the site instead, and the
page lists the topic, region and source indexes.
"""
from __future__ import annotations

from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from digest.site.config import Config
from digest.site.index import SOURCES
from digest.site.model import Page, SiteIndex
from digest.site.pagetype import PageType

SEARCH_URL = "/search/"
WEB_SEARCH = "https://duckduckgo.com/"  # the no-JavaScript fallback; `sites=` limits it to us


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


PAGE_TYPE = PageType("search", lambda index, config, now, before: search_pages(index, config),
                     MappingProxyType({"search": search_view}))
