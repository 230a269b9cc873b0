"""What each output was made from, as one key: the incremental build's bookkeeping.

Every output file is recorded with a fingerprint of everything it was made
from: digest's code, site.toml, the build options, the template it uses and
every template that one loads, the static files (their hashes are in every
page's links), the page's own args and, for each article it shows, the article
file's digest, the spellings of its terms as the index merged them and whether
it is scheduled. A page is rendered again exactly when its fingerprint
changes, and written only when its bytes change.

Every key starts from `Fingerprints.base` (code, site.toml, options), so no
two of them can disagree on what the site as a whole is.
"""
from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from digest.incremental.cache import Manifest, SourceFile, code_key, digest_of
from digest.render.feeds import NEWS_WINDOW
from digest.render.theme import Theme
from digest.site.images import picture_stamp
from digest.site.model import Article, SiteIndex
from digest.site.records import BuildOptions, Plan
from digest.site.slugs import term_slug

ArticleKey = tuple[str, bool, bytes]  # file digest, scheduled, picture stamp: when to compute again
ArticleStamps = dict[str, tuple[ArticleKey, bytes]]  # URL → (cheap key, fingerprint)


class PageKeys(NamedTuple):
    """One fingerprint per page, and what the manifest keeps to compute them faster next time:
    the site's part of every page key and each article's own key."""

    pages: list[str]
    site: str
    articles: ArticleStamps


@dataclass(frozen=True)
class Fingerprints:
    """The keys of one build."""

    config: str  # digest of site.toml
    options: BuildOptions

    def base(self, *more: Any) -> bytes:
        """What every key shares: digest's code, site.toml and the build options."""
        return pickle.dumps((code_key(), self.config, self.options.drafts, self.options.future, *more))

    def inputs(self, theme: Theme, sources: Mapping[str, SourceFile],
               editions: Sequence[tuple[str, bytes]] = (), registry: bytes | None = None) -> str:
        """Every input at once, for the nothing-changed shortcut: edition files and the URL
        registry by their bytes."""
        return hashlib.blake2b(self.base([str(d) for d in theme.dirs], theme.stamp,
                                         sorted(theme.fingerprints.items()),
                                         sorted((rel, s.digest) for rel, s in sources.items()),
                                         sorted((rel, digest_of(data)) for rel, data in editions),
                                         registry),
                               digest_size=16).hexdigest()

    def plan(self, index: SiteIndex, meta: Mapping[str, tuple[str, Article, str]], now: datetime,
             page_types: list[str]) -> str:
        """What the page list depends on: each article but its body (digests made when parsed),
        in index order, which articles the news sitemap lists, the editions, and the kinds of page."""
        recent = [a.url for a in index.articles if now - NEWS_WINDOW <= a.date <= now]
        h = hashlib.blake2b(self.base(recent, page_types, list(index.editions.values()),
                                      sorted(index.moved.items()), index.gone), digest_size=16)
        for article in index.articles:
            h.update(meta[article.path][2].encode())
        h.update(b"removed")  # a takedown's notice is planned from its article's metadata
        for article in index.removed:
            h.update(meta[article.path][2].encode())
        return h.hexdigest()

    def pages(self, plan: Plan, theme: Theme, sources: Mapping[str, SourceFile], now: datetime,
              reused: Manifest | None) -> PageKeys:
        """One fingerprint per page. With the last build's page list reused (`reused`: its
        manifest; no article's metadata changed), a page none of whose articles changed keeps
        the fingerprint it had: nothing else it depends on can have changed."""
        index = plan.index
        site = self.base([str(d) for d in theme.dirs], sorted(theme.fingerprints.items()))
        closures = {name: theme.closure(name) for name in {p.template for p in plan.pages}}
        site_key = digest_of(site + pickle.dumps(sorted(closures.items())))
        old = reused.articles if reused is not None and reused.site == site_key else None
        articles: dict[str, bytes] = {}
        stamps: ArticleStamps = {}
        changed: set[str] = set()
        for a in index.articles:
            key = (sources[a.path].digest, a.date > now, picture_stamp(a, plan.config))
            last = old.get(a.url) if old is not None else None
            if last is not None and last[0] == key:
                fp = last[1]
            else:
                fp = article_key(a, key[0], index, now) + key[2]
                changed.add(a.url)
            articles[a.url] = fp
            stamps[a.url] = (key, fp)
        fps = []
        for page in plan.pages:
            kept = reused.pages.get(page.output_path) if old is not None and reused is not None else None
            if kept is not None and changed.isdisjoint(page.refs):
                fps.append(kept)
                continue
            h = hashlib.blake2b(site, digest_size=16)
            h.update(pickle.dumps((page.url, page.template, closures[page.template], page.kind, page.args)))
            for url in page.refs:
                h.update(articles[url])
            fps.append(h.hexdigest())
        return PageKeys(fps, site_key, stamps)

    def search_view(self, theme: Theme, articles: ArticleStamps) -> Callable[[str], bytes]:
        """An article page's key for its search record: its article's own key and what every
        article page's indexed part shares (code, config, options, the article template with
        all it loads). Related articles, the previous/next links and the stylesheet's address
        are not in it: they sit outside the indexed article (docs/search.md)."""
        site = self.base([str(d) for d in theme.dirs], theme.closure("article.html"))

        def view(url: str) -> bytes:
            return hashlib.blake2b(site + articles[url][1], digest_size=16).digest()

        return view


def article_key(article: Article, digest: str, index: SiteIndex, now: datetime) -> bytes:
    """What an article's views depend on besides the config: its file, the index's spellings
    of its terms and outlet, and whether it is still scheduled."""
    names = []
    for taxonomy, values in article.terms:
        group = index.terms.get(taxonomy, {})
        for name in values:
            term = group.get(term_slug(name))
            names.append(term.name if term else None)
    if article.source is not None:
        outlet = index.sources.get(term_slug(article.source.name))
        names.append(outlet.name if outlet else None)
    return pickle.dumps((article.path, digest, names, article.date > now))
