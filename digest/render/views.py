"""View models: the plain dicts templates see, built from index records.

Templates never get Article objects or the whole index, only what they show,
already formatted; so a template can't reach into the build, and a page's
inputs are exactly its view.
"""
from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime
from functools import lru_cache
from typing import Any

from markupsafe import Markup

from digest.render.metadata import website
from digest.site.config import Config
from digest.site.images import image_view
from digest.site.index import SOURCES
from digest.site.markdown import render
from digest.site.model import Article, SiteIndex, Term
from digest.site.slugs import term_slug

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

View = dict[str, Any]


def display_date(when: datetime) -> str:
    return f"{MONTHS[when.month - 1]} {when.day}, {when.year}"


def display_day(when: datetime) -> str:
    return f"{WEEKDAYS[when.weekday()]}, {display_date(when)}"


def iso(when: datetime | None) -> str | None:
    return when.isoformat() if when else None


def absolute(config: Config, url: str) -> str:
    return config.base_url + url.lstrip("/")


def site_view(config: Config) -> View:
    """What every page knows about the site."""
    return {
        "title": config.title,
        "description": config.description,
        "base_url": config.base_url,
        "language": config.language,
        "author": config.author,
        "feed_url": "/feed.xml",
        "taxonomies": [{"key": k, "name": v, "url": f"/{k}/"} for k, v in config.taxonomies.items()],
        "sources_url": f"/{SOURCES}/",
        # reader features: digest/render/feeds.py, digest/search/page.py, digest/render/metadata.py
        "rss": config.rss, "rss_url": "/rss.xml", "feed_content": config.feed_content,
        "search_url": "/search/" if config.search else None, "jsonld": website(config),
    }


@lru_cache(maxsize=64)
def disclaimer_html(text: str) -> Markup:
    return Markup(render(text).html)


def disclaimer_key(article: Article, config: Config) -> str | None:
    """The article's own disclaimer, else its outlet's, else the site default; False hides it."""
    if article.disclaimer is False:
        return None
    if isinstance(article.disclaimer, str):
        return article.disclaimer
    outlet = config.source_settings(article.source.name) if article.source else None
    if outlet and outlet.disclaimer:
        return outlet.disclaimer
    return config.default_disclaimer


def term_link(index: SiteIndex, taxonomy: str, name: str) -> dict[str, str]:
    """Name and URL of a term as the index merged it."""
    slug = term_slug(name)
    group = index.sources if taxonomy == SOURCES else index.terms[taxonomy]
    term = group.get(slug)
    return {"name": term.name if term else name, "url": f"/{taxonomy}/{slug}/"}


class TermLinks:
    """The term links of an index's articles, each made once and shared by every Views of
    that index (a build makes one Views per batch of pages, and an article is listed on a
    dozen pages in as many batches). Holds a small dict per term and one per group of
    terms articles have (most articles share their region; about one per article for
    tags, keyed by the article's own tuple), and does not keep the index alive."""

    def __init__(self, index: SiteIndex, taxonomies: Mapping[str, str]) -> None:
        self.index = weakref.ref(index)
        self.taxonomies = dict(taxonomies)
        self.known: dict[str, dict[str, View]] = {}  # taxonomy → name as written → link
        self.groups: dict[str, dict[tuple[str, ...], View]] = {t: {} for t in self.taxonomies}

    @classmethod
    def of(cls, index: SiteIndex, config: Config) -> TermLinks:
        """The links of `index`, made once per index and taxonomies."""
        taxonomies = dict(config.taxonomies)
        return index.derived(("term links", *taxonomies.items()), lambda index: cls(index, taxonomies))

    def __call__(self, taxonomy: str, name: str) -> View:
        known = self.known.setdefault(taxonomy, {})
        link = known.get(name)
        if link is None:
            index = self.index()
            assert index is not None, "TermLinks.of(index) is only used while the index is"
            link = known[name] = term_link(index, taxonomy, name)
        return link

    def terms(self, article: Article) -> list[View]:
        """The article's terms by taxonomy, in the config's order."""
        found = []
        for tax, label in self.taxonomies.items():
            names = article.terms_of(tax)
            if names:
                group = self.groups[tax].get(names)
                if group is None:
                    group = self.groups[tax][names] = {"taxonomy": tax, "label": label,
                                                       "items": [self(tax, n) for n in names]}
                found.append(group)
        return found


def article_terms(article: Article, index: SiteIndex, config: Config) -> list[View]:
    return TermLinks.of(index, config).terms(article)


def source_view(article: Article, index: SiteIndex, config: Config) -> View | None:
    if article.source is None:
        return None
    published = article.source.published
    outlet = TermLinks.of(index, config)(SOURCES, article.source.name)
    return {
        "name": outlet["name"],
        "url": article.source.url,
        "page_url": outlet["url"],
        "published_iso": published.date().isoformat() if published else None,
        "published_display": display_date(published) if published else None,
    }


def item_view(article: Article, index: SiteIndex, config: Config, now: datetime) -> View:
    """An article as a list entry."""
    return {
        "title": article.title,
        "url": article.url,
        "summary": article.summary,
        "date_iso": iso(article.date),
        "date_display": display_date(article.date),
        "source": source_view(article, index, config),
        "original": article.original,
        "terms": article_terms(article, index, config),
        "draft": article.draft,
        "scheduled": article.date > now,
    }


def article_view(article: Article, index: SiteIndex, config: Config, now: datetime,
                 item: View | None = None) -> View:
    """Everything an article page shows; `item` is its item_view when already made."""
    key = disclaimer_key(article, config)
    return {
        **(item or item_view(article, index, config, now)),
        "abs_url": absolute(config, article.url),
        "body_html": Markup(article.body_html),
        "updated_iso": iso(article.updated),
        "updated_display": display_date(article.updated) if article.updated else None,
        "day_url": f"/{article.date.year:04d}/{article.date.month:02d}/{article.date.day:02d}/",
        "authors": list(article.authors),
        "via": {"name": article.via.name, "url": article.via.url} if article.via else None,
        "copyright": article.copyright,
        "disclaimer_key": key,
        "disclaimer_html": disclaimer_html(config.disclaimers[key]) if key else None,
        "image": image_view(article, config),
    }


class Views:
    """View models of one build, each made once: an article shows up in a dozen
    lists and feeds, and its view is the same in all of them."""

    def __init__(self, index: SiteIndex, config: Config, now: datetime,
                 body: Callable[[Article], str] | None = None, items: dict[str, View] | None = None) -> None:
        self.index, self.config, self.now = index, config, now
        self.body = body  # reads a body kept out of its article (digest/incremental/bodies.py); None: bodies are inline
        # List entries are small: `items` may be shared by every Views of a build, so that an
        # article's entry is one object on all its pages (render/partials.py keeps its output).
        self._items: dict[str, View] = {} if items is None else items
        self._articles: dict[str, View] = {}

    def item(self, article: Article) -> View:
        view = self._items.get(article.url)
        if view is None:
            view = self._items[article.url] = item_view(article, self.index, self.config, self.now)
        return view

    def article(self, article: Article) -> View:
        """The article's full view (body included)."""
        view = self._articles.get(article.url)
        if view is None:
            if self.body is not None and article.body_key and not article.body_html:
                article = replace(article, body_html=self.body(article))
            view = self._articles[article.url] = article_view(article, self.index, self.config, self.now,
                                                               self.item(article))
        return view


def neighbour(article: Article | None) -> View | None:
    return {"title": article.title, "url": article.url} if article else None


def term_view(term: Term) -> View:
    return {"name": term.name, "url": term.url, "count": len(term.articles)}
