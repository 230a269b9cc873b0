"""Articles → SiteIndex: pure functions grouping by date, term and source.

Terms merge case- and space-insensitively; the most used spelling names
the page. Two articles, or two distinct terms, that would share a URL stop
the build with an error naming both files.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from datetime import date
from operator import attrgetter
from types import MappingProxyType

from digest.errors import ContentError, DigestError
from digest.site.model import Article, SiteIndex, Term
from digest.site.slugs import slugify, term_key

SOURCES = "sources"


def build_index(articles: Iterable[Article], taxonomies: Iterable[str],
                removed: Iterable[Article] = ()) -> tuple[SiteIndex, list[DigestError]]:
    """Group published articles; collisions come back as errors beside the index. `removed`:
    articles taken down, kept beside the index for their notices and in no group."""
    ordered = tuple(sorted(articles, key=attrgetter("date", "url"), reverse=True))
    errors: list[DigestError] = []
    by_url = _by_url(ordered, errors)
    days: dict[date, list[str]] = defaultdict(list)
    months: dict[tuple[int, int], list[str]] = defaultdict(list)
    years: dict[int, list[str]] = defaultdict(list)
    for article in by_url.values():
        url, when = article.url, article.date
        days[when.date()].append(url)
        months[(when.year, when.month)].append(url)
        years[when.year].append(url)
    unique = tuple(by_url.values())
    keys: dict[str, str] = {}  # name as written → term_key(name): few names, used on many articles
    terms = {tax: _group(unique, tax, _names_in(tax), errors, keys) for tax in taxonomies}
    sources = _group(unique, SOURCES, lambda a: (a.source.name,) if a.source else (), errors, keys)
    index = SiteIndex(
        articles=unique,
        by_url=MappingProxyType(by_url),
        days=_freeze(days), months=_freeze(months), years=_freeze(years),
        terms=MappingProxyType({k: MappingProxyType(v) for k, v in terms.items()}),
        sources=MappingProxyType(sources),
        position=MappingProxyType({a.url: i for i, a in enumerate(unique)}),
        removed=tuple(sorted(removed, key=attrgetter("url"))),
    )
    return index, errors


def _freeze(groups: dict) -> MappingProxyType:  # type: ignore[type-arg]
    return MappingProxyType({k: tuple(v) for k, v in sorted(groups.items(), reverse=True)})


def _by_url(ordered: tuple[Article, ...], errors: list[DigestError]) -> dict[str, Article]:
    by_url: dict[str, Article] = {}
    for article in ordered:
        other = by_url.get(article.url)
        if other is None:
            by_url[article.url] = article
            continue
        first, second = sorted([other, article], key=lambda a: a.path)
        errors.append(ContentError(
            second.path, f"has the same URL {article.url} as {first.path}",
            line=second.lines.get("slug", second.lines.get("title")), field="slug",
            hint="give one of them its own slug: field"))
    return by_url


def _names_in(taxonomy: str) -> Callable[[Article], tuple[str, ...]]:
    return lambda article: article.terms_of(taxonomy)


def _group(articles: tuple[Article, ...], taxonomy: str, names_of: Callable[[Article], tuple[str, ...]],
           errors: list[DigestError], keys: dict[str, str]) -> dict[str, Term]:
    """Terms of one taxonomy by slug, each with its articles newest first."""
    members: dict[str, list[str]] = defaultdict(list)
    uses: dict[str, int] = {}  # name as written → times used
    first_use: dict[str, int] = {}  # name as written → the first article using it
    for i, article in enumerate(articles):
        for name in names_of(article):
            key = keys.get(name)
            if key is None:
                key = keys[name] = term_key(name)
            members[key].append(article.url)
            if name in uses:
                uses[name] += 1
            else:
                uses[name], first_use[name] = 1, i
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    first_at: dict[str, int] = {}  # key → the first article using any of its spellings
    for name, count in uses.items():
        key = keys[name]
        spellings[key][name] = count
        first_at[key] = min(first_at.get(key, first_use[name]), first_use[name])
    first = {key: articles[i] for key, i in first_at.items()}
    by_slug: dict[str, Term] = {}
    for key in sorted(members):
        name = min(spellings[key].items(), key=lambda item: (-item[1], item[0]))[0]
        term = Term(taxonomy, key, name, slugify(key), tuple(members[key]))
        clash = by_slug.get(term.slug)
        if clash is not None:
            errors.append(ContentError(
                first[key].path, f"'{name}' and '{clash.name}' (in {first[clash.key].path}) "
                f"would share the page {term.url}", line=first[key].lines.get(taxonomy), field=taxonomy,
                hint="spell the two terms alike if they are the same, or distinctly if not"))
            continue
        by_slug[term.slug] = term
    return dict(sorted(by_slug.items()))
