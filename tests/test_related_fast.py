"""The fast related() and build_index() give exactly what the straightforward ones (kept here) gave."""
from __future__ import annotations

import heapq
import subprocess
import sys
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import MappingProxyType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import digest.site.related
from digest.errors import ContentError, DigestError
from digest.site import index as index_module
from digest.site.index import SOURCES, build_index
from digest.site.model import Article, SiteIndex, Source, Term
from digest.site.pipeline import prepare
from digest.site.records import BuildOptions
from digest.site.related import related
from digest.site.slugs import slugify, term_key

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = Path("/work/shared/bench/gen_corpus.py")


# ---------------------------------------------------------------- the reference (digest/site/related.py before it was made fast)


def reference_related(index: SiteIndex, article: Article, limit: int, window: int = 20) -> tuple[Article, ...]:
    """Up to `limit` other published articles most like this one, best first."""
    if limit <= 0:
        return ()
    scores: Counter[str] = Counter()
    for weight, members in _reference_groups(index, article):
        for url in _reference_nearby(members, index, article, window):
            scores[url] += weight
    scores.pop(article.url, None)
    here = index.position[article.url]
    best = heapq.nsmallest(limit, scores.items(),
                           key=lambda item: (-item[1], abs(index.position[item[0]] - here),
                                             index.position[item[0]]))
    return tuple(index.by_url[url] for url, _ in best)


def _reference_groups(index: SiteIndex, article: Article) -> list[tuple[int, tuple[str, ...]]]:
    groups: list[tuple[int, tuple[str, ...]]] = []
    for n, (taxonomy, names) in enumerate(article.terms):
        terms = index.terms.get(taxonomy, {})
        for name in names:
            term = terms.get(slugify(term_key(name)))
            if term:
                groups.append((3 if n == 0 else 2, term.articles))
    if article.source:
        outlet = index.sources.get(slugify(term_key(article.source.name)))
        if outlet and outlet.taxonomy == SOURCES:
            groups.append((1, outlet.articles))
    return groups


def _reference_nearby(members: Sequence[str], index: SiteIndex, article: Article, window: int) -> Sequence[str]:
    if len(members) <= 2 * window + 1:
        return members
    position = index.position
    at = bisect_left(members, position[article.url], key=position.__getitem__)
    return members[max(0, at - window): at + window + 1]


def mismatches(index: SiteIndex, limit: int, window: int = 20) -> list[str]:
    """URLs of the articles whose related ones differ from the reference's (article, order or count)."""
    return [a.url for a in index.articles
            if related(index, a, limit) != reference_related(index, a, limit, window)]


# ---------------------------------------------------------------- the reference index (digest/site/index.py before it was made fast)


def reference_build_index(articles: list[Article], taxonomies: list[str]) -> tuple[SiteIndex, list[DigestError]]:
    ordered = tuple(sorted(articles, key=lambda a: (a.date, a.url), reverse=True))
    errors: list[DigestError] = []
    by_url = index_module._by_url(ordered, errors)  # unchanged
    days: dict[date, list[str]] = defaultdict(list)
    months: dict[tuple[int, int], list[str]] = defaultdict(list)
    years: dict[int, list[str]] = defaultdict(list)
    for article in by_url.values():
        days[article.day].append(article.url)
        months[(article.date.year, article.date.month)].append(article.url)
        years[article.date.year].append(article.url)
    unique = tuple(by_url.values())
    terms = {tax: _reference_group(unique, tax, lambda a, t=tax: a.terms_of(t), errors)  # type: ignore[misc]
             for tax in taxonomies}
    sources = _reference_group(unique, SOURCES, lambda a: (a.source.name,) if a.source else (), errors)
    freeze = index_module._freeze  # unchanged
    index = SiteIndex(
        articles=unique, by_url=MappingProxyType(by_url), days=freeze(days), months=freeze(months),
        years=freeze(years), terms=MappingProxyType({k: MappingProxyType(v) for k, v in terms.items()}),
        sources=MappingProxyType(sources), position=MappingProxyType({a.url: i for i, a in enumerate(unique)}),
    )
    return index, errors


def _reference_group(articles: tuple[Article, ...], taxonomy: str,
                     names_of: Callable[[Article], tuple[str, ...]], errors: list[DigestError]) -> dict[str, Term]:
    members: dict[str, list[str]] = defaultdict(list)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    first: dict[str, Article] = {}
    for article in articles:
        for name in names_of(article):
            key = term_key(name)
            members[key].append(article.url)
            spellings[key][name] += 1
            first.setdefault(key, article)
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


def same_index(made: list[Article], taxonomies: list[str]) -> None:
    """build_index gives what the reference gives: every grouping in the same order, the same errors."""
    (new, new_errors), (old, old_errors) = build_index(made, taxonomies), reference_build_index(made, taxonomies)
    assert new == old
    for field in ("by_url", "days", "months", "years", "sources", "position"):
        assert list(getattr(new, field).items()) == list(getattr(old, field).items())
    assert [list(terms.items()) for terms in new.terms.values()] == [list(t.items()) for t in old.terms.values()]
    assert [(type(e), str(e), vars(e)) for e in new_errors] == [(type(e), str(e), vars(e)) for e in old_errors]


# ---------------------------------------------------------------- real sites


def test_identical_on_the_example_site():
    index = prepare(ROOT, BuildOptions()).index
    assert len(index.articles) > 1
    same_index(list(index.articles), ["tags", "regions"])
    for limit in (0, 1, 4, 10):
        assert mismatches(index, limit) == []


@pytest.mark.skipif(not GENERATOR.exists(), reason="needs the shared corpus generator")
def test_identical_on_a_generated_corpus(tmp_path):
    subprocess.run([sys.executable, str(GENERATOR), "300", str(tmp_path), "--format", "digest"],
                   check=True, capture_output=True)
    index = prepare(tmp_path, BuildOptions()).index
    assert len(index.articles) == 300
    same_index(list(index.articles), ["tags", "regions"])
    for limit in (1, 4, 7):
        assert mismatches(index, limit) == []
    # A narrow window makes every term wider than it, so each article takes the bisecting path.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(digest.site.related, "WINDOW", 3)
        assert mismatches(index, 4, window=3) == []


# ---------------------------------------------------------------- small indexes full of ties

START = datetime(2016, 11, 1, tzinfo=UTC)
# Spellings that merge ("Oil", " oil"), slugs that clash ("a b", "a-b"), and distinct terms.
NAMES = ["Oil", "oil", " OIL ", "Gas", "a b", "A  B", "a-b", "C++", "c", "Opec", "x"]
OUTLETS = ["Wire", "wire", "Post", "Herald", "A B", "a-b"]


@st.composite
def articles(draw: st.DrawFn, most: int) -> list[Article]:
    count = draw(st.integers(1, most))
    hours = draw(st.lists(st.integers(0, 6), min_size=count, max_size=count))  # many equal dates
    made = []
    for i, hour in enumerate(hours):
        order = draw(st.sampled_from([("tags", "regions"), ("regions", "tags"), ("tags",), ("topics", "tags")]))
        terms = tuple((tax, tuple(draw(st.lists(st.sampled_from(NAMES), max_size=4)))) for tax in order)
        outlet = draw(st.none() | st.sampled_from(OUTLETS))
        made.append(Article(path=f"{i}.md", title=f"T{i}", slug=f"t{i}", date=START + timedelta(hours=hour),
                            url=f"/t{i % max(1, count - 2)}/", body_html="", summary="", terms=terms,
                            source=Source(outlet) if outlet else None))
    return made


def _index(made: list[Article]) -> SiteIndex:
    return build_index(made, ["tags", "regions"])[0]  # clashes come back as errors: related works on


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(articles(40), st.integers(0, 8), st.integers(1, 4))
def test_identical_on_small_indexes_with_narrow_windows(made, limit, window):
    same_index(made, ["tags", "regions"])
    index = _index(made)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(digest.site.related, "WINDOW", window)
        assert mismatches(index, limit, window) == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(articles(140), st.integers(1, 6))
def test_identical_on_indexes_wider_than_the_window(made, limit):
    assert mismatches(_index(made), limit) == []


def test_the_tables_follow_the_index():
    """Two indexes asked in turn each get their own answer (the tables are rebuilt, not reused)."""
    old = [Article(path=f"{i}.md", title="T", slug=f"t{i}", date=START + timedelta(hours=i), url=f"/t{i}/",
                   body_html="", summary="", terms=(("tags", ("Oil",)),)) for i in range(3)]
    new = [*old, Article(path="n.md", title="N", slug="n", date=START + timedelta(hours=2, minutes=30),
                         url="/n/", body_html="", summary="", terms=(("tags", ("Oil",)),))]
    first, second = _index(old), _index(new)
    for index in (first, second, first, second):
        assert mismatches(index, 2) == []
    assert [a.url for a in related(second, second.by_url["/t2/"], 1)] == ["/n/"]
