"""Feeds beyond Atom: RSS 2.0 twins of every Atom feed, and the Google News sitemap.

RSS pages reuse the Atom page's recipe (same articles, same view builder),
only the template and URL differ, so the two can never disagree. The News
sitemap lists the articles of the last two days (Google News ignores older
ones) and is only written when there is at least one: an empty ``urlset`` is
invalid under the sitemaps.org schema.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from types import MappingProxyType
from typing import Any

from digest.site.config import Config
from digest.site.model import Page, SiteIndex
from digest.site.pagetype import PageType

ATOM_NAME, RSS_NAME = "feed.xml", "rss.xml"
NEWS_SITEMAP = "/news-sitemap.xml"
NEWS_WINDOW = timedelta(days=2)
NEWS_LIMIT = 1000  # Google News reads at most 1,000 URLs per sitemap


def rss_url(atom_url: str) -> str:
    return atom_url[: -len(ATOM_NAME)] + RSS_NAME


def rss_pages(pages: Iterable[Page], config: Config) -> Iterator[Page]:
    """An RSS 2.0 page beside every Atom feed, when the site asks for RSS."""
    if not config.rss:
        return
    twins = {"atom.xml": "rss.xml", "editions.xml": "editions-rss.xml"}  # the editions feed's, too
    for page in pages:
        if page.template in twins and page.url.endswith(ATOM_NAME):
            yield Page(rss_url(page.url), twins[page.template], page.kind, page.args, page.refs)


def rfc822(value: str | datetime | None) -> str:
    """An ISO 8601 date-time as RSS wants it: 'Wed, 09 Nov 2016 14:30:00 -0500'."""
    if value is None:
        return ""
    when = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return format_datetime(when if when.tzinfo else when.replace(tzinfo=UTC))


def news_sitemap(index: SiteIndex, config: Config, now: datetime | None) -> list[Page]:
    """The News sitemap page (or none): articles dated within two days before `now`."""
    now = now or datetime.now(UTC)
    recent = tuple(a.url for a in index.articles if now - NEWS_WINDOW <= a.date <= now)
    if not recent:
        return []
    return [Page(NEWS_SITEMAP, "news-sitemap.xml", "news-sitemap", (), recent[:NEWS_LIMIT])]


def news_sitemap_view(page: Page, views: Any) -> dict[str, Any]:
    config, by_url = views.config, views.index.by_url
    return {
        "publication": {"name": config.title, "language": news_language(config.language)},
        "urls": [{"loc": config.base_url + a.url.lstrip("/"), "title": a.title,
                  "published": a.date.isoformat(timespec="seconds")}
                 for a in (by_url[u] for u in page.refs)],
    }


def news_language(tag: str) -> str:
    """Google News wants an ISO 639 code, except zh-cn and zh-tw."""
    tag = tag.lower()
    return tag if tag in ("zh-cn", "zh-tw") else tag.split("-")[0]


def sitemap_urls(pages: Iterable[Page], config: Config) -> list[str]:
    """Every sitemap of the site, for robots.txt."""
    found = [config.base_url + "sitemap.xml"]
    found += [config.base_url + p.url.lstrip("/") for p in pages if p.url == NEWS_SITEMAP]
    return found


NEWS_SITEMAP_PAGES = PageType("news sitemap", lambda index, config, now, before: news_sitemap(index, config, now),
                              MappingProxyType({"news-sitemap": news_sitemap_view}))
