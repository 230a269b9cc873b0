"""Reading article files: find, stat, read and hash them, and parse
the ones the cache lacks (in worker processes), and keep their bodies in the body store.
"""
from __future__ import annotations

import os
import pickle
import sqlite3
import time as clock
from collections.abc import Iterator, Sequence
from dataclasses import replace

from digest.errors import ContentError, DigestError
from digest.incremental.bodies import Bodies
from digest.incremental.cache import SourceFile, digest_of
from digest.site.articles import ArticleErrors, is_article_name, linked_outside, load_article, outside_error
from digest.site.config import Config
from digest.site.model import Article


def article_files(root: str, folder: str) -> Iterator[tuple[str, os.stat_result]]:
    """(path below root, stat) of every article file: articles.find_articles' rules (content/editions/
    holds edition files, not articles), without
    building a Path per file (a no-op build of 10,000 articles is mostly this walk)."""
    try:
        entries = sorted(os.scandir(f"{root}/{folder}"), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        rel = f"{folder}/{entry.name}"
        if entry.is_dir(follow_symlinks=False):
            if not entry.name.startswith((".", "_")) and rel != EDITIONS:
                yield from article_files(root, rel)
        elif is_article_name(entry.name):
            try:
                yield rel, os.stat(entry.path)
            except OSError:
                continue


EDITIONS = "content/editions"  # edition files (digest/site/editions.py), not articles
Parsed = tuple[str, SourceFile | None, Article | list[DigestError] | None, str]


def read_batch(shared: tuple[Config, dict[str, str], Bodies | None], rels: Sequence[str]) -> list[Parsed]:
    """Read and hash article files, and parse those whose digest the cache lacks (`known`:
    path → digest); one task of a worker process. The parsed article comes with a digest
    of itself without its body, for the builder to tell a body edit from a metadata one.
    With a body store, bodies go there and the articles sent back carry only their keys."""
    config, known, bodies = shared
    out: list[Parsed] = []
    for rel in rels:
        path = config.root / rel
        outside = linked_outside(path, config.content_dir)
        if outside is not None:
            out.append((rel, None, [outside_error(rel, outside)], ""))
            continue
        try:
            read_ns = clock.time_ns()
            with open(path, "rb") as f:
                info = os.fstat(f.fileno())
                data = f.read()
        except OSError as exc:
            out.append((rel, None, [ContentError(rel, f"cannot read: {exc.strerror}", field="file",
                                                 hint="check that the file exists and that you may read it")], ""))
            continue
        source = SourceFile(info.st_size, info.st_mtime_ns, digest_of(data), read_ns)
        if known.get(rel) == source.digest:
            out.append((rel, source, None, ""))
            continue
        try:
            article = load_article(data, rel, config)
            out.append((rel, source, article, digest_of(pickle.dumps(replace(article, body_html="")))))
        except ContentError as exc:
            out.append((rel, source, [exc], ""))
        except ArticleErrors as exc:
            out.append((rel, source, exc.errors, ""))
    return _store_bodies(out, bodies) if bodies is not None else out


def _store_bodies(parsed: list[Parsed], bodies: Bodies) -> list[Parsed]:
    """The batch with its bodies moved to the store; unchanged if the store can't be written
    (a read-only site folder still builds, with bodies in memory)."""
    moved: list[Parsed] = []
    stored: dict[str, str] = {}
    for rel, source, result, meta in parsed:
        if isinstance(result, Article):
            key = bodies.key(result.body_html)
            stored[key] = result.body_html
            result = replace(result, body_html="", body_key=key)
        moved.append((rel, source, result, meta))
    try:
        bodies.put(stored.items())
    except (OSError, sqlite3.Error):
        return parsed
    return moved


def body_of(article: Article, bodies: Bodies | None, config: Config) -> str:
    """An article's body HTML, from the store when it was moved there. A body missing from
    the store (the cache folder deleted mid-build) is rendered again from the file."""
    if not article.body_key:
        return article.body_html
    html = bodies.get(article.body_key) if bodies is not None else None
    if html is None:
        try:
            html = load_article((config.root / article.path).read_bytes(), article.path, config).body_html
        except (OSError, ContentError, ArticleErrors):
            html = None
        if html is None or Bodies.key(html) != article.body_key:
            raise ContentError(article.path, "the file changed while the site was building", line=1,
                               hint="build again")
    return html
