"""Each edition as a newsletter: /YYYY/MM/DD/newsletter.html (e-mail-safe HTML, CSS inlined by
the template's `inline_css` filter) and /YYYY/MM/DD/newsletter.txt (plain text, 72 columns).

Published when site.toml says `newsletter = true` (or has a [newsletter] table);
`digest newsletter DATE` (digest/editor/newsletter.py) renders the same pages on demand.
A page's args are its edition's recipe, so its fingerprint changes exactly when what it shows does.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from types import MappingProxyType
from typing import Any

from markupsafe import Markup

from digest.render.views import View, Views, absolute, disclaimer_html, disclaimer_key, display_date
from digest.site.config import Config
from digest.site.edition_pages import day_url, entry, recipe
from digest.site.images import image_view
from digest.site.model import Article, Page, SiteIndex
from digest.site.pagetype import PageType

HTML, TEXT = "newsletter.html", "newsletter.txt"
KIND = "newsletter"
WIDTH = 600  # px: the message's width, as most newsletters are
IMAGE_WIDTH = WIDTH - 2 * 24  # the content column inside its padding


def newsletter_url(day: date, fmt: str = "html") -> str:
    return day_url(day) + (HTML if fmt == "html" else TEXT)


def newsletter_pages(index: SiteIndex, config: Config, always: bool = False) -> Iterator[Page]:
    """Both newsletters of every edition, when the site publishes them (or `always`)."""
    if not (config.newsletter or always):
        return
    for day, edition in index.editions.items():
        args = (*recipe(edition), absolute(config, day_url(day)))
        for name in (HTML, TEXT):
            yield Page(day_url(day) + name, name, KIND, args, edition.urls)


def _item(article: Article, views: Views) -> View:
    config = views.config
    item = entry(article, views)
    image = image_view(article, config)
    picture = None
    if image and image["width"] and image["height"]:
        width = min(IMAGE_WIDTH, image["width"])
        picture = {"src": image["abs_url"], "alt": image["alt"] or article.title, "width": width,
                   "height": round(image["height"] * width / image["width"])}
    source = item["source"]
    return {**item, "url": absolute(config, article.url), "picture": picture,
            "source": {**source, "page_url": absolute(config, source["page_url"])} if source else None}


def _disclaimers(articles: list[Article], config: Config) -> list[View]:
    """Every disclaimer that applies to the edition's articles, once each, in the order first met."""
    keys = dict.fromkeys(k for a in articles if (k := disclaimer_key(a, config)))
    return [{"key": k, "html": disclaimer_html(config.disclaimers[k]), "text": config.disclaimers[k].strip()}
            for k in keys]


def newsletter_view(page: Page, views: Views) -> View:
    url, heading, title, summary, note, sections, web_url = page.args
    config, by_url = views.config, views.index.by_url
    day = date.fromisoformat(url.strip("/").replace("/", "-"))
    articles = [by_url[u] for _, urls in sections for u in urls]
    shown: list[dict[str, Any]] = [{"title": t, "items": [_item(by_url[u], views) for u in urls]}
                                   for t, urls in sections]
    subject = title or f"{config.title}: {display_date(datetime(day.year, day.month, day.day))}"
    preheader = summary or "; ".join(a.title for a in articles[:3])
    return {"newsletter": {
        "subject": subject, "heading": heading, "title": title, "summary": summary, "preheader": preheader,
        "note_html": Markup(note), "date_iso": day.isoformat(), "web_url": web_url, "sections": shown,
        "count": len(articles), "disclaimers": _disclaimers(articles, config), "width": WIDTH,
        "home_url": config.base_url, "archive_url": absolute(config, "/archive/"),
    }}


def _plan(index: SiteIndex, config: Config, now: datetime | None, before: Any) -> Iterator[Page]:
    return newsletter_pages(index, config)


def _plan_always(index: SiteIndex, config: Config, now: datetime | None, before: Any) -> Iterator[Page]:
    return newsletter_pages(index, config, always=True)


NEWSLETTERS = PageType("newsletters", _plan, MappingProxyType({KIND: newsletter_view}))
# `digest newsletter DATE` renders a newsletter whatever site.toml says
ON_DEMAND = PageType("newsletters", _plan_always, MappingProxyType({KIND: newsletter_view}))
