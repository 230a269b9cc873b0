"""Related articles: ranked by shared terms and source, deterministic.

Score: 3 per shared term of the first taxonomy (tags), 2 per shared term of
any other taxonomy (regions, …), 1 for the same source outlet. Ties go to the
article nearest in the site's date order, then the newer (the order is total,
so two builds of the same input always agree).

Only the WINDOW articles nearest in time within each shared term are scored:
a tag on 5,000 articles would otherwise make every article page score all of
them (quadratic on big sites), and for news the nearest stories are the ones
worth showing anyway.
"""
from __future__ import annotations

import heapq
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence

from digest.index import SOURCES
from digest.model import Article, SiteIndex
from digest.slugs import slugify, term_key

WINDOW = 20  # candidates taken on each side of the article within one term
FIRST_WEIGHT, OTHER_WEIGHT, SOURCE_WEIGHT = 3, 2, 1


def related(index: SiteIndex, article: Article, limit: int) -> tuple[Article, ...]:
    """Up to `limit` other published articles most like this one, best first."""
    if limit <= 0:
        return ()
    scores: Counter[str] = Counter()
    for weight, members in _groups(index, article):
        for url in _nearby(members, index, article):
            scores[url] += weight
    scores.pop(article.url, None)
    here = index.position[article.url]
    # Best score first; then the nearest in the site's date order; then the newer.
    best = heapq.nsmallest(limit, scores.items(),
                           key=lambda item: (-item[1], abs(index.position[item[0]] - here),
                                             index.position[item[0]]))
    return tuple(index.by_url[url] for url, _ in best)


def _groups(index: SiteIndex, article: Article) -> list[tuple[int, tuple[str, ...]]]:
    """(weight, member URLs newest first) of every term and the source the article has."""
    groups: list[tuple[int, tuple[str, ...]]] = []
    for n, (taxonomy, names) in enumerate(article.terms):
        terms = index.terms.get(taxonomy, {})
        for name in names:
            term = terms.get(slugify(term_key(name)))
            if term:
                groups.append((FIRST_WEIGHT if n == 0 else OTHER_WEIGHT, term.articles))
    if article.source:
        outlet = index.sources.get(slugify(term_key(article.source.name)))
        if outlet and outlet.taxonomy == SOURCES:
            groups.append((SOURCE_WEIGHT, outlet.articles))
    return groups


def _nearby(members: Sequence[str], index: SiteIndex, article: Article) -> Sequence[str]:
    """The members nearest the article in the site's order (newest first)."""
    if len(members) <= 2 * WINDOW + 1:
        return members
    position = index.position  # members are newest first, so their positions ascend
    at = bisect_left(members, position[article.url], key=position.__getitem__)
    return members[max(0, at - WINDOW): at + WINDOW + 1]
