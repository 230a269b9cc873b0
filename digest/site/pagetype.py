"""A kind of page: which pages of it a site has, and the view its template gets.

routes.PAGE_TYPES lists the site's page types in the order they are planned;
search and feeds declare theirs beside their own code.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any

from digest.site.config import Config
from digest.site.model import Page, SiteIndex

View = dict[str, Any]
ViewFn = Callable[[Page, Any], View]  # (page, views.Views) → what its template gets
Planner = Callable[[SiteIndex, Config, "datetime | None", Sequence[Page]], Iterable[Page]]


@dataclass(frozen=True)
class PageType:
    """The pages of one kind (`plan`: given the index, the config, the build's time and the
    pages planned before it) and the view function of each page kind it introduces
    (`views`: Page.kind → view)."""

    name: str
    plan: Planner
    views: Mapping[str, ViewFn] = field(default_factory=lambda: MappingProxyType({}))


def view_kinds(types: Iterable[PageType]) -> Mapping[str, ViewFn]:
    """Page.kind → its view function, for every kind the page types introduce."""
    return MappingProxyType({kind: view for t in types for kind, view in t.views.items()})
