"""SiteIndex → every Page of the site: URL rules, pagination, feeds, sitemap.

The site's kinds of page are PAGE_TYPES (digest/site/pagetype.py), in the order
they are planned: each says which pages of it the site has and the view each
kind of page gets. A new kind of page is a PageType here (or in its own
module, as search and feeds are) and a template in theme/.

A Page is a recipe, not a rendered view: its `args` (plain values) and
`refs` (the URLs of the articles it shows) determine its view completely,
given the config. So pages are cheap to plan, small to send to worker
processes, and an incremental build can tell from a fingerprint of args,
refs and templates which pages need rendering again.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime
from types import MappingProxyType

from digest.errors import ContentError, DigestError
from digest.render import corrections, feeds, host_rules, redirects, takedowns
from digest.render.metadata import article_meta, canonical_url
from digest.render.views import MONTHS, View, Views, absolute, display_date, iso, term_view
from digest.search import page as search
from digest.site import edition_pages as editions
from digest.site.config import Config
from digest.site.edition_pages import ARCHIVE, day_url, month_url
from digest.site.index import SOURCES
from digest.site.model import Article, Page, SiteIndex, Term
from digest.site.newsletter_pages import NEWSLETTERS
from digest.site.pagetype import PageType, ViewFn, view_kinds
from digest.site.paging import page_meta, page_url, paginate, pagination
from digest.site.related import related


def plan(index: SiteIndex, config: Config, now: datetime | None = None,
         types: Sequence[PageType] | None = None) -> tuple[list[Page], list[DigestError]]:
    """All pages of the site, in a stable order; URL clashes come back as errors."""
    pages: list[Page] = []
    for page_type in PAGE_TYPES if types is None else types:
        pages += list(page_type.plan(index, config, now, tuple(pages)))
    return pages, _clashes(pages, index)


def article_pages(index: SiteIndex, config: Config) -> Iterator[Page]:
    articles = index.articles
    last = len(articles) - 1
    for i, article in enumerate(articles):
        newer = articles[i - 1] if i > 0 else None
        older = articles[i + 1] if i < last else None
        similar = tuple(a.url for a in related(index, article, config.related))  # refs[1:]
        yield Page(article.url, "article.html", "article", (_nav(newer), _nav(older)), (article.url, *similar))


def _nav(article: Article | None) -> tuple[str, str] | None:
    return (article.title, article.url) if article else None


def list_pages(base: str, kind: str, heading: str, description: str, articles: Sequence[Article],
               config: Config, *, feed_url: str | None = None,
               periods: tuple[tuple[str, str, int], ...] = (),
               nav: tuple[tuple[str, str, str], ...] = ()) -> Iterator[Page]:
    """A paginated list of articles at base, base/page/2/, …"""
    chunks = paginate(articles, config.paginate)
    total = len(chunks)
    for number, chunk in enumerate(chunks, 1):
        args = (base, kind, number, total, heading, description, feed_url, periods, nav)
        yield Page(page_url(base, number), "list.html", "list", args, tuple(a.url for a in chunk))


def archive_pages(index: SiteIndex, config: Config) -> Iterator[Page]:
    """Year and month pages: their months or editions, their neighbours, the way up."""
    years = list(index.years)  # newest first
    for i, year in enumerate(years):
        months = tuple((f"{MONTHS[m - 1]} {y}", month_url(y, m), len(u))
                       for (y, m), u in index.months.items() if y == year)
        nav = _neighbours([(str(y), f"/{y:04d}/") for y in years], i) + (("up", "Archive", ARCHIVE),)
        yield from list_pages(f"/{year:04d}/", "year", str(year), f"Articles from {year}",
                              index.resolve(index.years[year]), config, periods=months, nav=nav)
    months_ = list(index.months)
    for i, (year, month) in enumerate(months_):
        days = tuple((_edition_label(index, d), day_url(d), len(u))
                     for d, u in index.days.items() if (d.year, d.month) == (year, month))
        nav = _neighbours([(f"{MONTHS[m - 1]} {y}", month_url(y, m)) for y, m in months_], i)
        nav += (("up", str(year), f"/{year:04d}/"),)
        yield from list_pages(month_url(year, month), "month", f"{MONTHS[month - 1]} {year}",
                              f"Articles from {MONTHS[month - 1]} {year}", index.resolve(index.months[(year, month)]),
                              config, periods=days, nav=nav)


def _neighbours(links: list[tuple[str, str]], i: int) -> tuple[tuple[str, str, str], ...]:
    """The newer and older of a newest-first list of (label, url), as (rel, label, url)."""
    found = []
    if i > 0:
        found.append(("next", *links[i - 1]))
    if i + 1 < len(links):
        found.append(("prev", *links[i + 1]))
    return tuple(found)


def _edition_label(index: SiteIndex, day: date) -> str:
    edition = index.editions.get(day)
    when = display_date(datetime(day.year, day.month, day.day))
    return f"{when}: {edition.title}" if edition and edition.title else when


def taxonomy_pages(index: SiteIndex, config: Config) -> Iterator[Page]:
    groups = [(tax, label, index.terms[tax]) for tax, label in config.taxonomies.items()]
    groups.append((SOURCES, "Sources", index.sources))
    for taxonomy, label, terms in groups:
        listed = tuple(sorted((tuple(term_view(t).values()) for t in terms.values()),
                              key=lambda t: str(t[0]).casefold()))
        description = f"All {label.lower()} of {config.title}, with article counts"
        yield Page(f"/{taxonomy}/", "terms.html", "terms", (taxonomy, label, description, listed))
        for term in terms.values():
            yield from _term_pages(term, label, index, config)


def _term_pages(term: Term, label: str, index: SiteIndex, config: Config) -> Iterator[Page]:
    articles = index.resolve(term.articles)
    if term.taxonomy == SOURCES:
        outlet = config.source_settings(term.name)
        description = outlet.description if outlet and outlet.description else f"Articles from {term.name}"
    else:
        description = f"{label}: {term.name}"
    feed_url = f"{term.url}feed.xml"
    yield from list_pages(term.url, "source" if term.taxonomy == SOURCES else "term", term.name,
                          description, articles, config, feed_url=feed_url)
    yield feed(feed_url, f"{config.title}: {term.name}", term.url, articles, config)


def feed(url: str, title: str, alternate: str, articles: Sequence[Article], config: Config) -> Page:
    """An Atom feed of the newest articles of a list."""
    newest = articles[: config.feed_limit]
    stamps = [a.updated or a.date for a in newest]
    updated = iso(max(stamps)) if stamps else "1970-01-01T00:00:00+00:00"
    return Page(url, "atom.xml", "feed", (title, alternate, updated), tuple(a.url for a in newest))


def sitemap(pages: list[Page], index: SiteIndex, config: Config) -> Page:
    entries = []
    for page in pages:
        if not page.url.endswith("/") or page.kind in (takedowns.KIND, redirects.KIND):  # not to be indexed
            continue
        article = index.by_url.get(page.url)
        lastmod = (article.updated or article.date).date().isoformat() if article else None
        entries.append((absolute(config, page.url), lastmod))
    return Page("/sitemap.xml", "sitemap.xml", "sitemap", (tuple(entries),))


# ---------------------------------------------------------------- views of pages


def view_of(page: Page, views: Views, kinds: Mapping[str, ViewFn] | None = None) -> View:
    """The view a page's template gets: a function of its args, refs and the config."""
    return (BUILDERS if kinds is None else kinds)[page.kind](page, views)


def _article_view(page: Page, views: Views) -> View:
    article = views.index.by_url[page.refs[0]]
    newer, older = page.args
    shown = views.article(article)
    return {
        "page": page_meta("article", article.title, article.url, views.config, description=article.summary,
                      canonical=canonical_url(article, views.config)),
        "article": shown,
        "newer": {"title": newer[0], "url": newer[1]} if newer else None,
        "older": {"title": older[0], "url": older[1]} if older else None,
        "related": [views.item(views.index.by_url[u]) for u in page.refs[1:]],
        "corrections": corrections.correction_views(article),
        "meta": article_meta(article, views.config, shown["image"]),
    }


def _list_view(page: Page, views: Views) -> View:
    base, kind, number, total, heading, description, feed_url, periods, nav = page.args
    title = heading if number == 1 else f"{heading} (page {number} of {total})"
    by_url = views.index.by_url
    return {
        "page": page_meta(kind, title, page.url, views.config, heading=heading, description=description,
                      feed_url=feed_url),
        "items": [views.item(by_url[u]) for u in page.refs],
        "periods": [{"label": label, "url": url, "count": count} for label, url, count in periods],
        "nav": [{"rel": rel, "label": label, "url": url} for rel, label, url in nav],
        "pagination": pagination(base, number, total),
    }


def _terms_view(page: Page, views: Views) -> View:
    taxonomy, label, description, listed = page.args
    return {"page": page_meta("terms", label, page.url, views.config, taxonomy=taxonomy, description=description),
            "terms": [{"name": name, "url": url, "count": count} for name, url, count in listed]}


def _feed_view(page: Page, views: Views) -> View:
    title, alternate, updated = page.args
    config, by_url = views.config, views.index.by_url
    return {
        "feed": {
            "title": title, "id": absolute(config, alternate), "self": absolute(config, page.url),
            "alternate": absolute(config, alternate), "subtitle": config.description,
            "updated": updated, "author": config.author,
        },
        "entries": [views.article(by_url[u]) for u in page.refs],
    }


def _sitemap_view(page: Page, views: Views) -> View:
    return {"urls": [{"loc": loc, "lastmod": lastmod} for loc, lastmod in page.args[0]]}


def _robots_view(page: Page, views: Views) -> View:
    return {"sitemap_url": absolute(views.config, "/sitemap.xml"), "sitemaps": list(page.args[0])}


def _not_found_view(page: Page, views: Views) -> View:
    return {"page": page_meta("404", "Page not found", "/404.html", views.config)}


PAGE_TYPES: tuple[PageType, ...] = (
    PageType("articles", lambda index, config, now, before: article_pages(index, config),
             MappingProxyType({"article": _article_view})),
    takedowns.PAGE_TYPE,
    redirects.PAGE_TYPE,
    editions.HOME,
    PageType("archives", lambda index, config, now, before: archive_pages(index, config),
             MappingProxyType({"list": _list_view})),
    editions.EDITIONS,
    NEWSLETTERS,
    editions.ARCHIVE_PAGE,
    PageType("taxonomies", lambda index, config, now, before: taxonomy_pages(index, config),
             MappingProxyType({"terms": _terms_view})),
    PageType("feed", lambda index, config, now, before: [feed("/feed.xml", config.title, "/", index.articles, config)],
             MappingProxyType({"feed": _feed_view})),
    editions.EDITIONS_FEED,
    PageType("404", lambda index, config, now, before: [Page("/404.html", "404.html", "404")],
             MappingProxyType({"404": _not_found_view})),
    corrections.PAGE_TYPE,
    search.PAGE_TYPE,
    PageType("sitemap", lambda index, config, now, before: [sitemap(list(before), index, config)],
             MappingProxyType({"sitemap": _sitemap_view})),
    PageType("rss", lambda index, config, now, before: feeds.rss_pages(before, config)),
    feeds.NEWS_SITEMAP_PAGES,
    PageType("robots", lambda index, config, now, before: [Page(
        "/robots.txt", "robots.txt", "robots", (tuple(feeds.sitemap_urls(before, config)),))],
        MappingProxyType({"robots": _robots_view})),
    host_rules.PAGE_TYPE,  # last: its cache headers cover every page planned before it
)
BUILDERS = view_kinds(PAGE_TYPES)


def _clashes(pages: list[Page], index: SiteIndex) -> list[DigestError]:
    """Pages that would overwrite each other (e.g. an article slugged like a section)."""
    seen: dict[str, Page] = {}
    errors: list[DigestError] = []
    for page in pages:
        key = page.output_path.casefold()
        if key in seen:
            article = index.by_url.get(page.url) or index.by_url.get(seen[key].url)
            where = article.path if article else "site.toml"
            line = article.lines.get("slug", article.lines.get("title")) if article else None
            errors.append(ContentError(where, f"two pages would be written to {page.url}", line=line,
                                       field="slug", hint="change the slug or the permalink pattern"))
        seen[key] = page
    return errors
