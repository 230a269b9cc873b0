"""Render workers: each renders a batch of pages and writes the bytes that changed.

Forked from the builder, they inherit the plan, theme and target (nothing is
pickled but page numbers going in and digests coming back). An article's body
is read from the body store when a page of the batch first shows it.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from digest.errors import DigestError
from digest.incremental.atomic import Stamp
from digest.incremental.bodies import Bodies
from digest.incremental.cache import digest_of
from digest.incremental.output_state import Target
from digest.render.theme import Theme
from digest.render.views import View, Views
from digest.site.model import Page
from digest.site.pagetype import ViewFn
from digest.site.reading import body_of
from digest.site.records import Plan
from digest.site.routes import view_of


@dataclass
class Outcome:
    """What one worker did with a batch of pages."""

    done: list[tuple[int, str, Stamp | None]] = field(default_factory=list)  # page, digest, stamp if written
    data: dict[str, bytes] = field(default_factory=dict)  # new bytes, when the site is in memory
    errors: list[DigestError] = field(default_factory=list)
    written: int = 0

    def add(self, other: Outcome) -> None:
        self.done += other.done
        self.data.update(other.data)
        self.errors += other.errors
        self.written += other.written


@dataclass
class RenderJob:
    """What render workers share (inherited through fork, never pickled)."""

    plan: Plan
    theme: Theme
    now: datetime
    target: Target
    kinds: Mapping[str, ViewFn]  # Page.kind → its view function (pagetype.view_kinds)
    bodies: Bodies | None = None
    views: Views | None = None
    items: dict[str, View] = field(default_factory=dict)  # list entries, shared by the batches of a worker


def render_batch(job: RenderJob, batch: Sequence[int]) -> Outcome:
    # Views are memoised per batch, not per worker: a worker's memo would otherwise end up
    # holding a view (body included) of every article it ever showed. List entries, small,
    # are kept for the build.
    bodies, config = job.bodies, job.plan.config
    job.views = Views(job.plan.index, config, job.now, body=lambda article: body_of(article, bodies, config),
                      items=job.items)
    outcome = Outcome()
    memory = job.target.staging is None and job.target.twin is None
    for i in batch:
        page = job.plan.pages[i]
        try:
            data = job.theme.render(page, view_of(page, job.views, job.kinds))
        except DigestError as exc:  # a template's error, or an article file changed mid-build
            outcome.errors.append(exc)
            continue
        digest = digest_of(data)
        rel = page.output_path
        stamp = None
        if job.target.differs(rel, digest):
            outcome.written += 1
            if memory:
                if job.target.keep:
                    outcome.data[rel] = data
            else:
                stamp = job.target.write(rel, data)
        outcome.done.append((i, digest, stamp))
    return outcome


def heavy_first(todo: list[int], pages: list[Page]) -> list[int]:
    """Feeds first: the slowest pages should not be the last ones a worker starts."""
    return sorted(todo, key=lambda i: pages[i].kind != "feed")
