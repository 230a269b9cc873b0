"""What list-like pages share: pagination links and the `page` part of every view."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from digest.render.views import View, absolute
from digest.site.config import Config

T = TypeVar("T")
WINDOW = 2  # page links shown on each side of the current page


def paginate(items: Sequence[T], size: int) -> list[Sequence[T]]:
    return [items[i:i + size] for i in range(0, len(items), size)] or [items[:0]]


def page_url(base: str, number: int) -> str:
    return base if number == 1 else f"{base}page/{number}/"


def page_links(base: str, current: int, total: int) -> list[View | None]:
    """First, last and a window around the current page; None marks a gap.

    A fixed window keeps every list page small: listing all 1,000 pages of a
    10,000-article home on each of them would make the site quadratic.
    """
    numbers = sorted({1, total, *range(max(1, current - WINDOW), min(total, current + WINDOW) + 1)})
    links: list[View | None] = []
    for previous, number in zip([0, *numbers], numbers):
        if number - previous > 1:
            links.append(None)
        links.append({"number": number, "url": page_url(base, number)})
    return links


def pagination(base: str, number: int, total: int) -> View:
    return {"current": number, "total": total,
            "newer_url": page_url(base, number - 1) if number > 1 else None,
            "older_url": page_url(base, number + 1) if number < total else None,
            "pages": page_links(base, number, total)}


def page_meta(kind: str, title: str, url: str, config: Config, **more: Any) -> View:
    """The `page` part of a view: what base.html needs of every page."""
    return {"kind": kind, "title": title, "heading": title, "url": url, "description": "",
            "feed_url": None, "canonical": absolute(config, url), **more}
