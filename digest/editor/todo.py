"""The marker an incomplete import leaves: ``extra: {import_todo: [...]}``.

Each item reads ``field: what is missing``. The marker lives under `extra`,
so the front-matter contract is unchanged and the article still builds;
`digest import` also sets ``draft: true``, so an incomplete article stays
out of the published site until an editor finishes it. `digest check`
reports every item as an error; `digest build` warns when an article that
still has items is published anyway.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from digest.errors import ContentError, DigestError
from digest.site.model import Article

TODO_KEY = "import_todo"
ITEM_FIELD = re.compile(r"^([a-z_][\w.]*):\s+(.+)$")


def todo_items(extra: Mapping[str, Any]) -> list[str]:
    """The items of the marker, as text; [] when there is none."""
    value = extra.get(TODO_KEY)
    if value is None or value == "":
        return []
    items = value if isinstance(value, list) else [value]
    return [" ".join(str(item).split()) for item in items if str(item).strip()]


def split_item(item: str) -> tuple[str | None, str]:
    """'source.url: no link found' → ('source.url', 'no link found'); free text has no field."""
    match = ITEM_FIELD.match(item)
    return (match.group(1), match.group(2)) if match else (None, item)


def item_lines(text: str, extra_line: int, count: int) -> list[int]:
    """The file line of each item, found under the `extra:` line; the marker's own
    line for items it cannot place (flow style, comments)."""
    lines = text.split("\n")
    start = extra_line - 1
    key = re.compile(r"^(\s*)" + TODO_KEY + r"\s*:")
    for number in range(start, len(lines)):
        match = key.match(lines[number])
        if match is None:
            continue
        indent = len(match.group(1))
        found = []
        for item_no in range(number + 1, len(lines)):
            line = lines[item_no]
            if line.strip() and len(line) - len(line.lstrip()) <= indent and not line.lstrip().startswith("-"):
                break
            if line.lstrip().startswith("- "):
                found.append(item_no + 1)
        return (found + [number + 1] * count)[:count]
    return [extra_line] * count


def published_warnings(article: Article) -> list[DigestError]:
    """A warning for an article about to be published with its import unfinished."""
    items = todo_items(article.extra)
    if not items:
        return []
    return [ContentError(
        article.path, f"published with {len(items)} unfinished import item(s): {'; '.join(items)}",
        line=article.lines.get("extra"), field=f"extra.{TODO_KEY}", severity="warning",
        hint="finish them and delete the list; `digest check` lists each one")]
