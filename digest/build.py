"""The build pipeline, one timed stage per line:

    config → scan → content → select → index → routes → diff → render → publish

Every stage is a function of the one before; all errors of a stage are
collected and raised together as BuildFailed before anything is written.
`build` runs it through a Builder (digest/builder.py), which keeps a cache
so that the next build re-reads, re-renders and re-writes only what changed.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

from digest.config import Config, load_config
from digest.content import Cache, find_articles, read_articles
from digest.errors import BuildFailed, DigestError, ThemeError
from digest.images import check_images
from digest.index import build_index
from digest.model import Article, Page, SiteIndex
from digest.routes import plan, view_of
from digest.theme import Theme
from digest.views import Views

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class BuildOptions:
    drafts: bool = False
    future: bool = False
    now: datetime | None = None  # tests pin it; None means the wall clock
    force: bool = False


@dataclass
class Timings:
    stages: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.stages[name] = self.stages.get(name, 0.0) + time.perf_counter() - start


@dataclass(frozen=True)
class BuildResult:
    articles: int
    pages: int
    files: int
    drafts_left_out: int
    future_left_out: int
    seconds: float
    stages: dict[str, float]
    rendered: int = 0  # pages rendered this time (an incremental build skips the rest)
    written: int = 0  # files whose bytes changed
    deleted: int = 0
    warnings: tuple[DigestError, ...] = ()  # e.g. a published article whose import is unfinished
    shards: tuple[int, int] = (0, 0)  # search index shards kept, and indexed again (digest/searchindex.py)


@dataclass(frozen=True)
class Plan:
    """Everything known before rendering: validated config, index and page list."""

    config: Config
    index: SiteIndex
    pages: list[Page]
    left_out: tuple[int, int]  # drafts, future
    warnings: tuple[DigestError, ...] = ()  # problems of drafts this build leaves out


def prepare(site: Path, options: BuildOptions, timings: Timings, cache: ContentCache | None = None) -> Plan:
    """Read and validate everything; raise BuildFailed with every problem found."""
    with timings.stage("config"):
        config = load_config(site)
    now = options.now or datetime.now(timezone.utc)
    with timings.stage("content"):
        articles, errors = load_content(config, cache.articles(config) if cache else None)
    return plan_site(config, articles, errors, options, now, timings)


Routes = Callable[[SiteIndex], "tuple[list[Page], list[DigestError]]"]


def plan_site(config: Config, articles: list[Article], errors: list[DigestError], options: BuildOptions,
              now: datetime, timings: Timings, routes: Routes | None = None) -> Plan:
    """Select, index and route the parsed articles; BuildFailed with every problem found.
    `routes` replaces routes.plan (the builder reuses the last plan when it would be the same)."""
    with timings.stage("select"):
        chosen = [a for a in articles if _published(a, options, now)]
        errors, held = _unpublished_drafts(errors, options)
    with timings.stage("index"):
        index, index_errors = build_index(chosen, config.taxonomies)
    with timings.stage("routes"):
        pages, route_errors = routes(index) if routes else plan(index, config, now)
    errors = errors + index_errors + route_errors + check_images(chosen, config)
    if errors:
        raise BuildFailed(errors)
    drafts = sum(1 for a in articles if a.draft and not options.drafts) + len({e.path for e in held})
    # A future draft left out as a draft is not counted twice; with --drafts it is left out as scheduled.
    future = sum(1 for a in articles if a.date > now and not options.future
                 and not (a.draft and not options.drafts))
    return Plan(config, index, pages, (drafts, future), held)


def _unpublished_drafts(errors: list[DigestError], options: BuildOptions
                        ) -> tuple[list[DigestError], tuple[DigestError, ...]]:
    """(errors that stop the build, warnings): a draft still being written does not stop a
    build that leaves drafts out; the editor still hears what it lacks."""
    if options.drafts:
        return errors, ()
    held = tuple(replace(e, severity="warning", hint=f"{e.hint}; the draft is left out until then"
                         if e.hint else "the draft is left out until this is fixed")
                 for e in errors if e.in_draft)
    return [e for e in errors if not e.in_draft], held


class ContentCache:
    """Parsed articles kept between builds of a long-lived process, dropped when the config changes."""

    def __init__(self) -> None:
        self.config: Config | None = None
        self.entries: Cache = {}

    def articles(self, config: Config) -> Cache:
        if config != self.config:
            self.config, self.entries = config, {}
        return self.entries


def load_content(config: Config, cache: Cache | None = None) -> tuple[list[Article], list[DigestError]]:
    articles: list[Article] = []
    errors: list[DigestError] = []
    for result in read_articles(find_articles(config.content_dir), config, cache):
        if isinstance(result, Article):
            articles.append(result)
        else:
            errors.extend(result)
    return articles, errors


def _published(article: Article, options: BuildOptions, now: datetime) -> bool:
    return (options.drafts or not article.draft) and (options.future or article.date <= now)


def render_all(prepared: Plan, theme: Theme, now: datetime | None = None,
               progress: Progress | None = None) -> Iterator[tuple[Page, bytes]]:
    """Render every page in this process; theme errors are collected (one per template line)."""
    views = Views(prepared.index, prepared.config, now or datetime.now(timezone.utc))
    errors: dict[tuple[str, int | None], ThemeError] = {}
    for done, page in enumerate(prepared.pages, 1):
        try:
            yield page, theme.render(page, view_of(page, views))
        except ThemeError as exc:
            errors.setdefault((exc.path, exc.line), exc)
        if progress:
            progress(done, len(prepared.pages))
    if errors:
        raise BuildFailed(errors.values())


def build(site: Path, output: Path, options: BuildOptions = BuildOptions(),
          progress: Progress | None = None, *, jobs: int | None = None, clean: bool = False,
          cache: bool = True) -> BuildResult:
    """Build the site at `site` into `output`, atomically, reusing the cache in site/.digest-cache."""
    from digest.builder import Builder
    from digest.cache import DiskStore, Store

    store = DiskStore(site) if cache else Store()
    return Builder(site, output, store, options, jobs=jobs, progress=progress).build(clean=clean)


def check(site: Path, options: BuildOptions = BuildOptions()) -> Plan:
    """Everything a build does except writing: validate, index, plan and render in memory."""
    timings = Timings()
    prepared = prepare(site, options, timings)
    for _ in render_all(prepared, Theme(prepared.config), options.now):
        pass
    return prepared
