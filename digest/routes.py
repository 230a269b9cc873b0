"""SiteIndex → every Page of the site: URL rules, pagination, feeds, sitemap.

Each Page carries its view and the keys of what it was made from
(`article:/…`, `tags:diplomacy`, `day:2016-11-09`, `home:page:3`), which an
incremental build compares to decide what to re-render.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime

from digest.config import Config
from digest.errors import ContentError, DigestError
from digest.index import SOURCES
from digest.model import Article, Page, SiteIndex, Term
from digest.views import (MONTHS, View, Views, absolute, display_date, display_day, iso, neighbour,
                          term_view)

WINDOW = 2  # page links shown on each side of the current page


def plan(index: SiteIndex, config: Config, now: datetime) -> tuple[list[Page], list[DigestError]]:
    """All pages of the site, in a stable order; URL clashes come back as errors."""
    views = Views(index, config, now)
    pages = [
        *article_pages(views),
        *list_pages("/", "home", config.title, config.description, index.articles, views,
                    feed_url="/feed.xml", dep="home"),
        *archive_pages(views),
        *taxonomy_pages(views),
        feed("/feed.xml", config.title, "/", index.articles, views, dep="home"),
        Page("/404.html", "404.html", {"page": _meta("404", "Page not found", "/404.html", config)}),
        Page("/robots.txt", "robots.txt", {"sitemap_url": absolute(config, "/sitemap.xml")}),
    ]
    pages.append(sitemap(pages, index, config))
    return pages, _clashes(pages, index)


def _meta(kind: str, title: str, url: str, config: Config, **more: object) -> View:
    return {"kind": kind, "title": title, "heading": title, "url": url, "description": "",
            "feed_url": None, "canonical": absolute(config, url), **more}


def article_pages(views: Views) -> Iterator[Page]:
    index, config = views.index, views.config
    for article in index.articles:
        newer, older = index.newer(article.url), index.older(article.url)
        view = {
            "page": _meta("article", article.title, article.url, config,
                          description=article.summary),
            "article": views.article(article),
            "newer": neighbour(newer),
            "older": neighbour(older),
        }
        deps = {f"article:{a.url}" for a in (article, newer, older) if a}
        yield Page(article.url, "article.html", view, frozenset(deps))


def paginate(items: Sequence[Article], size: int) -> list[Sequence[Article]]:
    return [items[i:i + size] for i in range(0, len(items), size)] or [items[:0]]


def page_url(base: str, number: int) -> str:
    return base if number == 1 else f"{base}page/{number}/"


def page_links(base: str, current: int, total: int) -> list[View | None]:
    """First, last and a window around the current page; None marks a gap.

    A fixed window keeps every list page small: listing all 1,000 pages of a
    10,000-article home on each of them would make the site quadratic.
    """
    numbers = sorted({1, total, *range(max(1, current - WINDOW), min(total, current + WINDOW) + 1)})
    links: list[View | None] = []
    for previous, number in zip([0, *numbers], numbers):
        if number - previous > 1:
            links.append(None)
        links.append({"number": number, "url": page_url(base, number)})
    return links


def list_pages(base: str, kind: str, heading: str, description: str, articles: Sequence[Article],
               views: Views, *, feed_url: str | None = None,
               dep: str, periods: list[View] | None = None) -> Iterator[Page]:
    """A paginated list of articles at base, base/page/2/, …"""
    chunks = paginate(articles, views.config.paginate)
    total = len(chunks)
    for number, chunk in enumerate(chunks, 1):
        url = page_url(base, number)
        title = heading if number == 1 else f"{heading} (page {number} of {total})"
        view = {
            "page": _meta(kind, title, url, views.config, heading=heading, description=description,
                          feed_url=feed_url),
            "items": [views.item(a) for a in chunk],
            "periods": periods or [],
            "pagination": {
                "current": number, "total": total,
                "newer_url": page_url(base, number - 1) if number > 1 else None,
                "older_url": page_url(base, number + 1) if number < total else None,
                "pages": page_links(base, number, total),
            },
        }
        deps = {f"{dep}:page:{number}", *(f"article:{a.url}" for a in chunk)}
        yield Page(url, "list.html", view, frozenset(deps))


def archive_pages(views: Views) -> Iterator[Page]:
    index = views.index
    for year, urls in index.years.items():
        months = [{"label": f"{MONTHS[m - 1]} {y}", "url": f"/{y:04d}/{m:02d}/", "count": len(u)}
                  for (y, m), u in index.months.items() if y == year]
        yield from list_pages(f"/{year:04d}/", "year", str(year), f"Articles from {year}",
                              index.resolve(urls), views, dep=f"year:{year}", periods=months)
    for (year, month), urls in index.months.items():
        days = [{"label": display_date(index.by_url[u[0]].date), "url": _day_url(d), "count": len(u)}
                for d, u in index.days.items() if (d.year, d.month) == (year, month)]
        yield from list_pages(f"/{year:04d}/{month:02d}/", "month", f"{MONTHS[month - 1]} {year}",
                              f"Articles from {MONTHS[month - 1]} {year}", index.resolve(urls),
                              views, dep=f"month:{year}-{month:02d}", periods=days)
    for day, urls in index.days.items():
        first = index.by_url[urls[0]]
        yield from list_pages(_day_url(day), "day", display_day(first.date),
                              f"The digest of {display_date(first.date)}", index.resolve(urls),
                              views, dep=f"day:{day.isoformat()}")


def _day_url(day: date) -> str:
    return f"/{day.year:04d}/{day.month:02d}/{day.day:02d}/"


def taxonomy_pages(views: Views) -> Iterator[Page]:
    index, config = views.index, views.config
    groups = [(tax, label, index.terms[tax]) for tax, label in config.taxonomies.items()]
    groups.append((SOURCES, "Sources", index.sources))
    for taxonomy, label, terms in groups:
        view = {"page": _meta("terms", label, f"/{taxonomy}/", config, taxonomy=taxonomy,
                              description=f"All {label.lower()} of {config.title}, with article counts"),
                "terms": sorted((term_view(t) for t in terms.values()), key=lambda t: t["name"].casefold())}
        yield Page(f"/{taxonomy}/", "terms.html", view, frozenset({f"{taxonomy}:*"}))
        for term in terms.values():
            yield from _term_pages(term, label, views)


def _term_pages(term: Term, label: str, views: Views) -> Iterator[Page]:
    config = views.config
    articles = views.index.resolve(term.articles)
    dep = f"{term.taxonomy}:{term.slug}"
    if term.taxonomy == SOURCES:
        outlet = config.source_settings(term.name)
        description = outlet.description if outlet and outlet.description else f"Articles from {term.name}"
    else:
        description = f"{label}: {term.name}"
    feed_url = f"{term.url}feed.xml"
    yield from list_pages(term.url, "source" if term.taxonomy == SOURCES else "term", term.name,
                          description, articles, views, feed_url=feed_url, dep=dep)
    yield feed(feed_url, f"{config.title}: {term.name}", term.url, articles, views, dep=dep)


def feed(url: str, title: str, alternate: str, articles: Sequence[Article], views: Views, *,
         dep: str) -> Page:
    """An Atom feed of the newest articles of a list."""
    config = views.config
    newest = articles[: config.feed_limit]
    stamps = [a.updated or a.date for a in newest]
    view = {
        "feed": {
            "title": title, "id": absolute(config, alternate), "self": absolute(config, url),
            "alternate": absolute(config, alternate), "subtitle": config.description,
            "updated": iso(max(stamps)) if stamps else "1970-01-01T00:00:00+00:00",
            "author": config.author,
        },
        "entries": [views.article(a) for a in newest],
    }
    return Page(url, "atom.xml", view, frozenset({f"{dep}:feed", *(f"article:{a.url}" for a in newest)}))


def sitemap(pages: list[Page], index: SiteIndex, config: Config) -> Page:
    entries = []
    for page in pages:
        if not page.url.endswith("/"):
            continue
        article = index.by_url.get(page.url)
        lastmod = (article.updated or article.date).date().isoformat() if article else None
        entries.append({"loc": absolute(config, page.url), "lastmod": lastmod})
    return Page("/sitemap.xml", "sitemap.xml", {"urls": entries}, frozenset({"sitemap"}))


def _clashes(pages: list[Page], index: SiteIndex) -> list[DigestError]:
    """Pages that would overwrite each other (e.g. an article slugged like a section)."""
    seen: dict[str, Page] = {}
    errors: list[DigestError] = []
    for page in pages:
        key = page.output_path.casefold()
        if key in seen:
            article = index.by_url.get(page.url) or index.by_url.get(seen[key].url)
            where = article.path if article else "site.toml"
            errors.append(ContentError(where, f"two pages would be written to {page.url}",
                                       field="slug", hint="change the slug or the permalink pattern"))
        seen[key] = page
    return errors
