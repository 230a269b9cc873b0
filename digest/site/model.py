"""The frozen records every stage passes on: articles, terms, the site index, pages.

Relations are by key (an article's URL, a term's slug), never by object
reference, so records can be cached, compared and sent to worker processes.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date as datetime_date
from datetime import datetime
from types import MappingProxyType
from typing import Any, TypeVar

T = TypeVar("T")
C = TypeVar("C", bound=type)


def fast_pickle(cls: C) -> C:
    """Give a slots dataclass a `__reduce__` that pickles its constructor's arguments, a read-only
    mapping (which pickle refuses) as a dict. The default for slots dataclasses calls
    dataclasses.fields() for every object it loads: a tenth of an incremental build."""
    names = tuple(f.name for f in fields(cls))

    def __reduce__(self: Any) -> tuple[Any, ...]:
        values = tuple(getattr(self, name) for name in names)
        proxied = tuple(i for i, value in enumerate(values) if type(value) is MappingProxyType)
        if not proxied:
            return cls, values
        return _with_read_only, (cls, tuple(dict(v) if i in proxied else v for i, v in enumerate(values)), proxied)

    cls.__reduce__ = __reduce__  # type: ignore[assignment]
    return cls


def _with_read_only(cls: type[T], values: tuple[Any, ...], proxied: tuple[int, ...]) -> T:
    """A record from its pickled arguments, the mappings at `proxied` read-only again."""
    args = list(values)
    for i in proxied:
        args[i] = MappingProxyType(args[i])
    return cls(*args)


@fast_pickle
@dataclass(frozen=True, slots=True)
class Link:
    """A named outlet with an optional URL (the `via` of a cross-post)."""

    name: str
    url: str | None = None


@fast_pickle
@dataclass(frozen=True, slots=True)
class Source:
    """Where an article was first published."""

    name: str
    url: str | None = None
    published: datetime | None = None


@fast_pickle
@dataclass(frozen=True, slots=True)
class Image:
    """An article's picture: `src` as written in front matter, checked by digest/site/images.py."""

    src: str
    alt: str
    caption: str | None = None
    credit: str | None = None


@fast_pickle
@dataclass(frozen=True, slots=True)
class Correction:
    """A public correction of an article: when, and what was corrected (Markdown)."""

    date: datetime
    text: str


@fast_pickle
@dataclass(frozen=True, slots=True)
class Removal:
    """A takedown: the article's URL keeps a notice with the reason; it is published nowhere else."""

    date: datetime
    reason: str


@fast_pickle
@dataclass(frozen=True, slots=True)
class Article:
    """One validated article; body already rendered to safe HTML."""

    path: str  # relative to the site root, as the editor knows it
    title: str
    slug: str
    date: datetime  # aware, in the site time zone
    url: str  # site-relative, starts and ends with '/'
    body_html: str
    summary: str  # plain text
    updated: datetime | None = None
    authors: tuple[str, ...] = ()
    terms: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (taxonomy, names as written)
    source: Source | None = None
    via: Link | None = None
    original: bool = False
    copyright: str | None = None
    disclaimer: str | bool | None = None  # a key, False for none, None for the default
    draft: bool = False
    extra: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    image: Image | None = None
    corrections: tuple[Correction, ...] = ()  # oldest first
    removed: Removal | None = None
    aliases: tuple[str, ...] = ()  # old URLs that redirect here
    lines: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    # Set when the body was moved to the build's body store (digest/incremental/bodies.py); body_html is '' then.
    body_key: str = ""

    def terms_of(self, taxonomy: str) -> tuple[str, ...]:
        for name, values in self.terms:
            if name == taxonomy:
                return values
        return ()

    @property
    def day(self) -> datetime_date:
        return self.date.date()


@fast_pickle
@dataclass(frozen=True, slots=True)
class Term:
    """A taxonomy term or a source outlet, with the articles filed under it (newest first)."""

    taxonomy: str  # 'tags', 'regions', … or 'sources'
    key: str  # case- and space-insensitive identity
    name: str  # the most used spelling
    slug: str
    articles: tuple[str, ...]  # article URLs

    @property
    def url(self) -> str:
        return f"/{self.taxonomy}/{self.slug}/"


@fast_pickle
@dataclass(frozen=True, slots=True)
class Edition:
    """A day's edition: its file's title, summary and note (empty without a file), and its
    sections, each (title, article URLs); an untitled section is the whole day."""

    day: datetime_date
    title: str | None
    summary: str | None
    note_html: str
    sections: tuple[tuple[str, tuple[str, ...]], ...]
    path: str | None = None  # the edition file, when there is one

    @property
    def urls(self) -> tuple[str, ...]:
        return tuple(u for _, urls in self.sections for u in urls)


@dataclass(frozen=True)
class SiteIndex:
    """Published articles, newest first, and every grouping the site shows."""

    articles: tuple[Article, ...]
    by_url: Mapping[str, Article]
    days: Mapping[datetime_date, tuple[str, ...]]
    months: Mapping[tuple[int, int], tuple[str, ...]]
    years: Mapping[int, tuple[str, ...]]
    terms: Mapping[str, Mapping[str, Term]]  # taxonomy → slug → term
    sources: Mapping[str, Term]  # slug → outlet
    position: Mapping[str, int]  # article URL → index in `articles`
    editions: Mapping[datetime_date, Edition] = field(default_factory=lambda: MappingProxyType({}))  # newest first
    removed: tuple[Article, ...] = ()  # taken down: a notice at their URL, nothing anywhere else
    moved: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))  # old URL → new (digest/site/registry.py)
    gone: tuple[str, ...] = ()  # URLs the registry lists as gone: 410, no page
    _derived: dict[Hashable, Any] = field(default_factory=dict, compare=False, repr=False)

    def derived(self, key: Hashable, make: Callable[[SiteIndex], T]) -> T:
        """A table computed from this index once (related articles' term members, term links),
        kept with the index and dropped with it."""
        if key not in self._derived:
            self._derived[key] = make(self)
        return self._derived[key]  # type: ignore[no-any-return]

    def newer(self, url: str) -> Article | None:
        i = self.position[url]
        return self.articles[i - 1] if i > 0 else None

    def older(self, url: str) -> Article | None:
        i = self.position[url]
        return self.articles[i + 1] if i + 1 < len(self.articles) else None

    def resolve(self, urls: tuple[str, ...]) -> tuple[Article, ...]:
        return tuple(self.by_url[u] for u in urls)


@fast_pickle
@dataclass(frozen=True, slots=True)
class Page:
    """One output file: where it goes, which template renders it, and the recipe of its view.

    `kind` names the view builder (routes.BUILDERS); `args` are the page's own
    plain values and `refs` the URLs of the articles it shows. Together with
    the config they determine the view, so they also fingerprint the page.
    """

    url: str  # '/2016/11/09/slug/' or '/feed.xml'
    template: str
    kind: str
    args: tuple[Any, ...] = ()
    refs: tuple[str, ...] = ()

    @property
    def output_path(self) -> str:
        """Path below the output folder: folders get an index.html."""
        path = self.url.lstrip("/")
        return path + "index.html" if path == "" or path.endswith("/") else path
