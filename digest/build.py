"""The build pipeline, one timed stage per line:

    config → content → select → index → routes → render → publish

Every stage is a function of the one before; all errors of a stage are
collected and raised together as BuildFailed before anything is written.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path


from digest.config import Config, load_config
from digest.content import Cache, find_articles, read_articles
from digest.errors import BuildFailed, DigestError, ThemeError
from digest.index import build_index
from digest.model import Article, Page, SiteIndex
from digest.publish import Staging, check_output
from digest.routes import plan
from digest.theme import STATIC, Theme

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


@dataclass(frozen=True)
class Plan:
    """Everything known before rendering: validated config, index and page list."""

    config: Config
    index: SiteIndex
    pages: list[Page]
    left_out: tuple[int, int]  # drafts, future


def prepare(site: Path, options: BuildOptions, timings: Timings, cache: ContentCache | None = None) -> Plan:
    """Read and validate everything; raise BuildFailed with every problem found."""
    with timings.stage("config"):
        config = load_config(site)
    now = options.now or datetime.now(timezone.utc)
    with timings.stage("content"):
        articles, errors = load_content(config, cache.articles(config) if cache else None)
    with timings.stage("select"):
        chosen = [a for a in articles if _published(a, options, now)]
    with timings.stage("index"):
        index, index_errors = build_index(chosen, config.taxonomies)
    with timings.stage("routes"):
        pages, route_errors = plan(index, config, now)
    errors += index_errors + route_errors
    if errors:
        raise BuildFailed(errors)
    drafts = sum(1 for a in articles if a.draft and not options.drafts)
    future = sum(1 for a in articles if a.date > now and not options.future and not a.draft)
    return Plan(config, index, pages, (drafts, future))


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


def render_all(pages: list[Page], theme: Theme, progress: Progress | None = None) -> Iterator[tuple[Page, bytes]]:
    """Render every page; theme errors are collected (one per template line) and raised at the end."""
    errors: dict[tuple[str, int | None], ThemeError] = {}
    for done, page in enumerate(pages, 1):
        try:
            yield page, theme.render(page)
        except ThemeError as exc:
            errors.setdefault((exc.path, exc.line), exc)
        if progress:
            progress(done, len(pages))
    if errors:
        raise BuildFailed(errors.values())


def outputs(prepared: Plan, theme: Theme, progress: Progress | None = None) -> Iterator[tuple[str, bytes | Path]]:
    """Every output file as (path below the output folder, bytes or a file to copy)."""
    for page, data in render_all(prepared.pages, theme, progress):
        yield page.output_path, data
    for rel, source in theme.static_files.items():
        yield f"{STATIC}/{rel}", source


def build(site: Path, output: Path, options: BuildOptions = BuildOptions(),
          progress: Progress | None = None) -> BuildResult:
    """Build the site at `site` into `output`, atomically."""
    started = time.perf_counter()
    timings = Timings()
    check_output(output, site, force=options.force)
    prepared = prepare(site, options, timings)
    theme = Theme(prepared.config)
    with Staging(output) as staging:
        with timings.stage("render"):
            for rel, data in outputs(prepared, theme, progress):
                if isinstance(data, bytes):
                    staging.write(rel, data)
                else:
                    staging.copy(rel, data)
        with timings.stage("publish"):
            staging.commit()
    return BuildResult(
        articles=len(prepared.index.articles), pages=len(prepared.pages),
        files=len(prepared.pages) + len(theme.static_files),
        drafts_left_out=prepared.left_out[0], future_left_out=prepared.left_out[1],
        seconds=time.perf_counter() - started, stages=dict(timings.stages))


def check(site: Path, options: BuildOptions = BuildOptions()) -> Plan:
    """Everything a build does except writing: validate, index, plan and render in memory."""
    timings = Timings()
    prepared = prepare(site, options, timings)
    for _ in render_all(prepared.pages, Theme(prepared.config)):
        pass
    return prepared
