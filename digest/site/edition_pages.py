"""The pages of editions: each day's edition, the home page (the latest edition in full,
then earlier editions' headlines), the archive index and the editions' Atom feed.

Every page's args carry all it shows of its editions (titles, notes, sections,
neighbours), so its fingerprint changes exactly when what it shows does.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from types import MappingProxyType
from typing import Any

from markupsafe import Markup

from digest.render.metadata import SCHEMA_ORG
from digest.render.views import MONTHS, View, Views, absolute, display_date, display_day, iso
from digest.site.config import Config
from digest.site.model import Article, Edition, Page, SiteIndex
from digest.site.pagetype import PageType
from digest.site.paging import page_meta, page_url, paginate, pagination

FEED = "/editions/feed.xml"
ARCHIVE = "/archive/"
Link = tuple[str, str] | None  # (label, url)


def day_url(day: date) -> str:
    return f"/{day.year:04d}/{day.month:02d}/{day.day:02d}/"


def month_url(year: int, month: int) -> str:
    return f"/{year:04d}/{month:02d}/"


def heading_of(day: date) -> str:
    return display_day(datetime(day.year, day.month, day.day))


def recipe(edition: Edition) -> tuple[Any, ...]:
    """What a page shows of an edition: url, date heading, title, summary, note, sections."""
    return (day_url(edition.day), heading_of(edition.day), edition.title, edition.summary,
            edition.note_html, edition.sections)


def edition_pages(index: SiteIndex, config: Config) -> Iterator[Page]:
    days = list(index.editions)  # newest first
    for i, day in enumerate(days):
        edition = index.editions[day]
        newer = days[i - 1] if i > 0 else None
        older = days[i + 1] if i + 1 < len(days) else None
        nav = (_day_link(newer), _day_link(older),
               (f"{MONTHS[day.month - 1]} {day.year}", month_url(day.year, day.month)),
               (str(day.year), f"/{day.year:04d}/"))
        yield Page(day_url(day), "edition.html", "edition", (*recipe(edition), *nav), edition.urls)


def _day_link(day: date | None) -> Link:
    return (heading_of(day), day_url(day)) if day else None


def home_pages(index: SiteIndex, config: Config) -> Iterator[Page]:
    """Page 1: the latest edition in full, then the next editions' headlines; older pages:
    `paginate` editions' headlines each."""
    editions = list(index.editions.values())
    lead, rest = (editions[0], editions[1:]) if editions else (None, [])
    chunks = paginate(rest, config.paginate)
    total = len(chunks)
    for number, chunk in enumerate(chunks, 1):
        shown = (lead,) if number == 1 and lead else ()
        args = (number, total, recipe(lead) if shown and lead else None, tuple(recipe(e) for e in chunk))
        refs = tuple(u for e in (*shown, *chunk) for u in e.urls)
        yield Page(page_url("/", number), "home.html", "home", args, refs)


def archive_page(index: SiteIndex, config: Config) -> Page:
    """/archive/: every year and month, with how many editions and articles each has."""
    years = []
    for year, urls in index.years.items():
        months = tuple((f"{MONTHS[m - 1]} {y}", month_url(y, m), sum(1 for d in index.editions
                                                                       if (d.year, d.month) == (y, m)), len(u))
                       for (y, m), u in index.months.items() if y == year)
        years.append((str(year), f"/{year:04d}/", len(urls), months))
    return Page(ARCHIVE, "archive.html", "archive", (tuple(years),))


def editions_feed(index: SiteIndex, config: Config) -> Page:
    """An Atom feed with one entry per edition, newest first."""
    entries = []
    for edition in list(index.editions.values())[: config.feed_limit]:
        articles = index.resolve(edition.urls)
        stamps = [a.updated or a.date for a in articles]
        entries.append((*recipe(edition), iso(min(a.date for a in articles)), iso(max(stamps))))
    updated = max((e[-1] for e in entries), default="1970-01-01T00:00:00+00:00")
    refs = tuple(u for e in entries for _, urls in e[5] for u in urls)
    return Page(FEED, "editions.xml", "editions-feed", (updated, tuple(entries)), refs)


# ---------------------------------------------------------------- views


def entry(article: Article, views: Views) -> View:
    """An article as an edition lists it: its list entry and its credit line (as its page words it)."""
    via = {"name": article.via.name, "url": article.via.url} if article.via else None
    item = views.item(article)
    shown = item["source"] or via or article.copyright
    return {**item, "credit": {"source": item["source"], "via": via, "copyright": article.copyright} if shown else None}


def _edition(recipe: tuple[Any, ...], views: Views) -> View:
    url, heading, title, summary, note, sections = recipe
    by_url = views.index.by_url
    return {"url": url, "heading": heading, "title": title, "summary": summary, "note_html": Markup(note),
            "date_iso": date.fromisoformat(url.strip("/").replace("/", "-")).isoformat(),
            "sections": [{"title": t, "items": [entry(by_url[u], views) for u in urls]} for t, urls in sections]}


def _link(link: Link) -> View | None:
    return {"label": link[0], "url": link[1]} if link else None


def item_list(edition: View, config: Config) -> View:
    """schema.org ItemList of the edition's articles, in the order it shows them."""
    items = [i for s in edition["sections"] for i in s["items"]]
    return {"@context": SCHEMA_ORG, "@type": "ItemList", "name": edition["title"] or edition["heading"],
            "url": absolute(config, edition["url"]), "numberOfItems": len(items),
            "itemListElement": [{"@type": "ListItem", "position": n, "url": absolute(config, i["url"]),
                                 "name": i["title"]} for n, i in enumerate(items, 1)]}


def edition_view(page: Page, views: Views) -> View:
    newer, older, month, year = page.args[6:]
    edition = _edition(page.args[:6], views)
    title = edition["title"] or edition["heading"]
    description = edition["summary"] or f"The digest of {display_date(datetime.fromisoformat(edition['date_iso']))}"
    return {"page": page_meta("edition", title, page.url, views.config, heading=edition["heading"],
                              description=description),
            "edition": {**edition, "newer": _link(newer), "older": _link(older), "month": _link(month),
                        "year": _link(year), "jsonld": item_list(edition, views.config)}}


def home_view(page: Page, views: Views) -> View:
    number, total, lead, others = page.args
    config = views.config
    title = config.title if number == 1 else f"{config.title} (page {number} of {total})"
    return {"page": page_meta("home", title, page.url, config, heading=config.title,
                              description=config.description, feed_url="/feed.xml"),
            "lead": _edition(lead, views) if lead else None,
            "editions": [_edition(e, views) for e in others],
            "pagination": pagination("/", number, total)}


def archive_view(page: Page, views: Views) -> View:
    years = [{"label": label, "url": url, "count": count,
              "months": [{"label": m, "url": u, "editions": e, "count": c} for m, u, e, c in months]}
             for label, url, count, months in page.args[0]]
    return {"page": page_meta("archive", "Archive", page.url, views.config,
                              description=f"Every edition of {views.config.title}, by year and month"),
            "years": years}


def editions_feed_view(page: Page, views: Views) -> View:
    updated, entries = page.args
    config = views.config
    return {"feed": {"title": f"{config.title}: editions", "id": absolute(config, FEED),
                     "self": absolute(config, page.url), "alternate": absolute(config, "/"),
                     "subtitle": config.description, "updated": updated, "author": config.author},
            "entries": [{**_edition(e[:6], views), "abs_url": absolute(config, e[0]), "published": e[6],
                         "updated": e[7]} for e in entries]}


EDITIONS = PageType("editions", lambda index, config, now, before: edition_pages(index, config),
                    MappingProxyType({"edition": edition_view}))
HOME = PageType("home", lambda index, config, now, before: home_pages(index, config),
                MappingProxyType({"home": home_view}))
ARCHIVE_PAGE = PageType("archive", lambda index, config, now, before: [archive_page(index, config)],
                        MappingProxyType({"archive": archive_view}))
EDITIONS_FEED = PageType("editions feed", lambda index, config, now, before: [editions_feed(index, config)],
                         MappingProxyType({"editions-feed": editions_feed_view}))
