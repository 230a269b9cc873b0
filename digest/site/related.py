"""Related articles: ranked by shared terms and source, deterministic.

Score: 3 per shared term of the first taxonomy (tags), 2 per shared term of
any other taxonomy (regions, …), 1 for the same source outlet. Ties go to the
article nearest in the site's date order, then the newer (the order is total,
so two builds of the same input always agree).

Only the WINDOW articles nearest in time within each shared term are scored:
a tag on 5,000 articles would otherwise make every article page score all of
them (quadratic on big sites), and for news the nearest stories are the ones
worth showing anyway.

Articles are handled by their position in the site's order (an int), and each
term's members as a tuple of positions, ascending; these tables are built once
per index (see `_members`), as every article page asks for its related ones.
"""
from __future__ import annotations

from bisect import bisect_left
from collections.abc import Collection
from itertools import repeat
from operator import neg, sub

from digest.site.index import SOURCES
from digest.site.model import Article, SiteIndex
from digest.site.slugs import term_slug

WINDOW = 20  # candidates taken on each side of the article within one term
FIRST_WEIGHT, OTHER_WEIGHT, SOURCE_WEIGHT = 3, 2, 1
# More than one window's weight: few candidates score that, and when `limit` of them do,
# the best are among them (exact for any bar; this one keeps the list short).
SINGLE = max(FIRST_WEIGHT, OTHER_WEIGHT, SOURCE_WEIGHT)

Positions = tuple[int, ...]


def related(index: SiteIndex, article: Article, limit: int) -> tuple[Article, ...]:
    """Up to `limit` other published articles most like this one, best first."""
    if limit <= 0:
        return ()
    here = index.position[article.url]
    members = _members(index)
    scores, high = _scores(members.groups(article), here, members.distinct)
    scores.pop(here, None)
    high.discard(here)
    # When `limit` candidates score above SINGLE, no other can make the cut.
    best = _ranked(scores, high if len(high) >= limit else _contenders(scores, limit, here), here)
    articles = index.articles
    return tuple(articles[p] for p in best[:limit])


def _scores(groups: list[tuple[int, Positions]], here: int, distinct: bool) -> tuple[dict[int, int], set[int]]:
    """Each candidate's score, and the candidates scoring more than SINGLE.

    `distinct`: no position is twice in one group, so the first group's scores can be set at once.
    """
    scores: dict[int, int] = {}
    get = scores.get
    high: list[int] = []
    span, single = 2 * WINDOW + 1, SINGLE
    for weight, members in groups:
        if len(members) > span:  # only the WINDOW nearest on each side (positions ascend)
            at = bisect_left(members, here)
            members = members[max(0, at - WINDOW): at + WINDOW + 1]
        if distinct and not scores:
            scores = dict.fromkeys(members, weight)
            get = scores.get
            continue
        for p in members:
            score = get(p, 0) + weight
            scores[p] = score
            if score > single:
                high.append(p)
    return scores, set(high)


def _contenders(scores: dict[int, int], limit: int, here: int) -> list[int]:
    """The candidates scoring above the `limit`-th best score, and the nearest of those scoring it."""
    if len(scores) <= limit:
        return list(scores)
    cut = sorted(scores.values())[-limit]
    above: list[int] = []
    tied: list[int] = []
    for p, score in scores.items():
        if score >= cut:
            (above if score > cut else tied).append(p)
    # Many often tie at the cut (every article of one tag, say): only the nearest can make it.
    tied.sort()
    need = limit - len(above)
    older = bisect_left(tied, here)
    newer = older - 1
    while need:
        if newer >= 0 and (older == len(tied) or here - tied[newer] <= tied[older] - here):
            above.append(tied[newer])
            newer -= 1
        else:
            above.append(tied[older])
            older += 1
        need -= 1
    return above


def _ranked(scores: dict[int, int], candidates: Collection[int], here: int) -> list[int]:
    """Best score first; then the nearest in the site's order; then the newer (lower position)."""
    # (-score, distance, position) tuples, built without a Python call per candidate.
    keyed = sorted(zip(map(neg, map(scores.__getitem__, candidates)),
                       map(abs, map(sub, candidates, repeat(here))), candidates))
    return [p for _, _, p in keyed]


class _Members:
    """An index's terms as position tuples, and each article's (weight, members) groups."""

    def __init__(self, index: SiteIndex) -> None:
        position = index.position.__getitem__
        self.terms = {taxonomy: {slug: tuple(map(position, term.articles)) for slug, term in terms.items()}
                      for taxonomy, terms in index.terms.items()}
        self.sources = {slug: tuple(map(position, outlet.articles))
                        for slug, outlet in index.sources.items() if outlet.taxonomy == SOURCES}
        self.distinct = all(len(set(members)) == len(members)
                            for group in (*self.terms.values(), self.sources) for members in group.values())

    def groups(self, article: Article) -> list[tuple[int, Positions]]:
        """(weight, member positions) of every term and the source the article has."""
        groups: list[tuple[int, Positions]] = []
        for n, (taxonomy, names) in enumerate(article.terms):
            terms = self.terms.get(taxonomy, {})
            weight = FIRST_WEIGHT if n == 0 else OTHER_WEIGHT
            for name in names:
                members = terms.get(term_slug(name))
                if members is not None:
                    groups.append((weight, members))
        if article.source:
            outlet = self.sources.get(term_slug(article.source.name))
            if outlet is not None:
                groups.append((SOURCE_WEIGHT, outlet))
        return groups


def _members(index: SiteIndex) -> _Members:
    """The index's tables, made once: planning asks for every article of one index in turn."""
    return index.derived("related members", _Members)
