"""Corrections made in public: the note on an article, its JSON-LD, and `/corrections/`.

An article's `corrections` (digest/site/schema.py) are shown above its body and
listed, newest first, on `/corrections/` with an Atom feed of their own. A page
refers to a correction by its article's URL and its number (from 1, oldest
first), so a page's fingerprint follows the article file it comes from.
"""
from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from markupsafe import Markup

from digest.render.feeds import rss_url
from digest.render.views import display_date
from digest.site.config import Config
from digest.site.markdown import render
from digest.site.model import Article, Page, SiteIndex
from digest.site.pagetype import PageType

View = dict[str, Any]
PAGE_URL = "/corrections/"
FEED_URL = "/corrections/feed.xml"
NO_ENTRY = "1970-01-01T00:00:00+00:00"  # an empty feed's <updated>: no correction has been made


@lru_cache(maxsize=1024)
def text_html(text: str) -> Markup:
    return Markup(render(text).html)


def anchor(number: int) -> str:
    return f"correction-{number}"


def correction_views(article: Article) -> list[View]:
    """An article's corrections as its page shows them, oldest first."""
    return [{"number": n, "anchor": anchor(n), "date_iso": c.date.isoformat(),
             "date_display": display_date(c.date), "text_html": text_html(c.text)}
            for n, c in enumerate(article.corrections, 1)]


def newest_first(index: SiteIndex) -> list[tuple[str, int]]:
    """(article URL, correction number) of every correction of the site, newest first."""
    found = [(c.date, a.url, n) for a in index.articles for n, c in enumerate(a.corrections, 1)]
    return [(url, n) for _, url, n in sorted(found, key=lambda f: (f[0], f[1], f[2]), reverse=True)]


def pages(index: SiteIndex, config: Config) -> Iterator[Page]:
    listed = tuple(newest_first(index))
    refs = tuple(dict.fromkeys(url for url, _ in listed))
    yield Page(PAGE_URL, "corrections.html", "corrections", (listed,), refs)
    newest = listed[: config.feed_limit]
    updated = max((index.by_url[u].corrections[n - 1].date for u, n in newest), default=None)
    args = (newest, updated.isoformat() if updated else NO_ENTRY)
    refs = tuple(dict.fromkeys(url for url, _ in newest))
    yield Page(FEED_URL, "corrections.xml", "corrections-feed", args, refs)
    if config.rss:  # an RSS twin beside every Atom feed, as digest/render/feeds.py makes for the others
        yield Page(rss_url(FEED_URL), "corrections-rss.xml", "corrections-feed", args, refs)


def _entries(listed: tuple[tuple[str, int], ...], index: SiteIndex, config: Config) -> list[View]:
    entries = []
    for url, number in listed:
        article = index.by_url[url]
        correction = article.corrections[number - 1]
        link = f"{url}#{anchor(number)}"
        entries.append({"title": article.title, "url": url, "link": link,
                        "abs_link": config.base_url + link.lstrip("/"),
                        "date_iso": correction.date.isoformat(), "date_display": display_date(correction.date),
                        "text_html": text_html(correction.text)})
    return entries


def page_view(page: Page, views: Any) -> View:
    config = views.config
    (listed,) = page.args
    return {"page": {"kind": "corrections", "title": "Corrections", "heading": "Corrections", "url": page.url,
                     "description": f"Every correction {config.title} has made, newest first",
                     "feed_url": FEED_URL, "canonical": config.base_url + PAGE_URL.lstrip("/")},
            "corrections": _entries(listed, views.index, config)}


def feed_view(page: Page, views: Any) -> View:
    config = views.config
    listed, updated = page.args
    return {"feed": {"title": f"{config.title}: corrections", "id": config.base_url + PAGE_URL.lstrip("/"),
                     "self": config.base_url + page.url.lstrip("/"),
                     "alternate": config.base_url + PAGE_URL.lstrip("/"), "updated": updated,
                     "author": config.author},
            "entries": _entries(listed, views.index, config)}


PAGE_TYPE = PageType("corrections", lambda index, config, now, before: pages(index, config),
                     MappingProxyType({"corrections": page_view, "corrections-feed": feed_view}))
