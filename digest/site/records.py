"""The records a build passes between its stages and hands back: options, timings, the plan
(everything known before rendering) and the result."""
from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from digest.errors import DigestError
from digest.site.config import Config
from digest.site.model import Page, SiteIndex

T = TypeVar("T")
Progress = Callable[[int, int], None]  # pages done, pages to do


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

    def run(self, name: str, step: Callable[..., T], *args: object) -> T:
        with self.stage(name):
            return step(*args)


@dataclass(frozen=True)
class Plan:
    """Everything known before rendering: validated config, index and page list."""

    config: Config
    index: SiteIndex
    pages: list[Page]
    left_out: tuple[int, int]  # drafts, future
    warnings: tuple[DigestError, ...] = ()  # problems of drafts this build leaves out
    registry: bytes | None = None  # content/.urls.toml as this build leaves it (digest/site/registry.py)


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
    shards: tuple[int, int] = (0, 0)  # search index shards kept, and indexed again (digest/search/index.py)
    plan: Plan | None = None  # None when nothing had changed
