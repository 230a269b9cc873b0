"""Moved articles: a small page at each old URL that sends readers on to the new one.

The page (kind "redirect") refreshes at once to the new URL and names it canonical, for
hosts that do not read the host rules (digest/render/host_rules.py), which answer 301 there.
The old URLs come from the registry and from `aliases` (digest/site/registry.py).
"""
from __future__ import annotations

from collections.abc import Iterator
from types import MappingProxyType
from typing import Any

from digest.render.views import absolute
from digest.site.model import Page, SiteIndex
from digest.site.pagetype import PageType

KIND = "redirect"


def pages(index: SiteIndex) -> Iterator[Page]:
    for old, new in sorted(index.moved.items()):
        yield Page(old, "redirect.html", KIND, (new,))


def view(page: Page, views: Any) -> dict[str, Any]:
    (new,) = page.args
    return {"page": {"kind": KIND, "url": page.url, "title": "Moved", "robots": "noindex"},
            "target": new, "canonical": absolute(views.config, new)}


PAGE_TYPE = PageType("redirects", lambda index, config, now, before: pages(index), MappingProxyType({KIND: view}))
