"""Takedowns: an article with `removed` keeps a neutral notice at its URL, and nothing else.

The index leaves removed articles out of every list, feed, sitemap and the search
(digest/site/index.py keeps them in `SiteIndex.removed`); here is the notice, a
page of kind "tombstone": the title, the outlet, the date and the reason, no body,
no picture, `noindex`. Its args hold all it shows, so it never reads the body.
"""
from __future__ import annotations

from collections.abc import Iterator
from types import MappingProxyType
from typing import Any

from digest.render.views import display_date
from digest.site.model import Page, SiteIndex
from digest.site.pagetype import PageType

KIND = "tombstone"
View = dict[str, Any]


def pages(index: SiteIndex) -> Iterator[Page]:
    for article in index.removed:
        assert article.removed is not None
        removed = article.removed.date
        outlet = article.source.name if article.source else None
        yield Page(article.url, "tombstone.html", KIND,
                   (article.title, outlet, article.original, article.date.isoformat(), display_date(article.date),
                    article.removed.reason, removed.isoformat(), display_date(removed)))


def view(page: Page, views: Any) -> View:
    title, outlet, original, date_iso, date_display, reason, removed_iso, removed_display = page.args
    config = views.config
    return {"page": {"kind": KIND, "title": title, "heading": title, "url": page.url, "description": "",
                     "feed_url": None, "robots": "noindex", "canonical": config.base_url + page.url.lstrip("/")},
            "notice": {"title": title, "outlet": outlet, "original": original, "date_iso": date_iso,
                       "date_display": date_display, "reason": reason, "removed_iso": removed_iso,
                       "removed_display": removed_display}}


PAGE_TYPE = PageType("takedowns", lambda index, config, now, before: pages(index),
                     MappingProxyType({KIND: view}))
