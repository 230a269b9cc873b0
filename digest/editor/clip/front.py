"""A web clipper's own front matter → what it says about the article.

Obsidian Web Clipper's default template writes

    title: "Page title | Section | Outlet"
    source: "https://…"
    author:
      - "[[Name]]"
    published: 2016-11-09            (a date, a datetime, or nothing)
    created: 2024-05-01              (the day of clipping: not the article's)
    description: "…"
    tags:
      - "clippings"

and MarkDownload's default template writes, unquoted,

    created: 2016-11-22T09:14:03 (UTC +02:00)
    tags: [keywords]
    source: https://…
    author: Readability's byline

so a byline with a ':' makes that YAML invalid: then each `key: value`
line is read as text, which is what the clipper meant. A digest article
(`source: {name, url}`, `via:`, `copyright:`…) is front matter of this
kind too. Values stay text, as `frontmatter.parse_yaml` reads them.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from digest.editor.clip.dates import parse_date
from digest.editor.clip.names import is_name, role, usual_case
from digest.editor.clip.outlets import known_outlet
from digest.editor.clip.text import web_href
from digest.errors import ContentError
from digest.site.frontmatter import parse_yaml

Row = tuple[int, str]  # (line number in the file, text)
CLIPPER_KEYS = frozenset({"title", "source", "url", "author", "authors", "published", "date", "created",
                          "description", "tags", "clipped", "site", "site_name", "byline", "excerpt"})
CLIPPER_TAGS = frozenset({"clippings", "clipping", "clipped", "web-clip", "webclip", "web-clipper",
                          "markdownload", "obsidian-clipper", "inbox"})  # a clipper's own tags, not topics
URL_KEYS = ("source", "url", "link", "canonical", "original_url", "source_url")
SITE_KEYS = ("site", "site_name", "sitename", "publisher")
AUTHOR_KEYS = ("author", "authors", "byline", "creator")
DATE_KEYS = ("published", "date", "date_published", "pubdate", "published_at")
SUMMARY_KEYS = ("description", "summary", "excerpt", "abstract")
TAG_KEYS = ("tags", "keywords", "topics")
KEY_LINE = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)\s*:(?:\s+(?P<value>.*))?$")
ITEM_LINE = re.compile(r"^\s+-\s+(?P<value>.*)$")
WIKILINK = re.compile(r"^\[\[(?P<target>[^\]|]*)(?:\|(?P<alias>[^\]]*))?\]\]$")
BY = re.compile(r"^by\s+", re.I)
MAX_LINES = 200  # a clipper writes a dozen lines of front matter


@dataclass(frozen=True)
class Found:
    value: str
    line: int


@dataclass(frozen=True)
class Meta:
    """A clipper's front matter: each key's value (text, list or mapping) and its line."""

    fields: Mapping[str, tuple[Any, int]] = field(default_factory=dict)

    def get(self, *keys: str) -> tuple[Any, int] | None:
        return next((self.fields[k] for k in keys if k in self.fields), None)

    def text(self, *keys: str) -> Found | None:
        """The first of the keys holding non-empty text, whitespace collapsed."""
        for key in keys:
            value, line = self.fields.get(key, (None, 0))
            if isinstance(value, str) and value.strip():
                return Found(" ".join(value.split()).strip("\"'"), line)
        return None

    def url(self) -> Found | None:
        """The clipped page's address (`source` unless it is a digest article's mapping)."""
        for key in URL_KEYS:
            found = self.text(key)
            if found and (href := web_href(found.value)):
                return Found(href, found.line)
        return None

    def published(self) -> Found | None:
        found = self.text(*DATE_KEYS)
        when = parse_date(found.value) if found else None
        return Found(when, found.line) if found and when else None

    def people(self) -> tuple[tuple[str, ...], tuple[str, ...], int]:
        """(authors, outlets named as authors, line) of `author:`."""
        found = self.get(*AUTHOR_KEYS)
        if found is None:
            return (), (), 0
        value, line = found
        names, outlets = clipper_people(value if isinstance(value, list) else [value])
        return names, outlets, line

    def tags(self) -> tuple[tuple[str, ...], int]:
        found = self.get(*TAG_KEYS)
        if found is None:
            return (), 0
        return clipper_tags(found[0]), found[1]


def clipper_people(values: list[Any]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """'[[Name]]', '[[Name|Alias]]', 'Name', 'A, B and C', 'By NAME', 'Name, Reuters' → (people, outlets)."""
    names: list[str] = []
    outlets: list[str] = []
    for value in values:
        if not isinstance(value, str):
            continue
        value, _, rest = BY.sub("", value.strip()).partition(": ")
        if rest and not role(rest):
            value = f"{value}: {rest}"
        for part in re.split(r"\s*,\s*|\s+and\s+|\s*&\s*|\s*;\s*", value):
            part = _unlinked(part).strip(" .")
            if not part or web_href(part) or part.startswith("@"):
                continue  # a profile URL or handle, not a name
            if known_outlet(part) or (" " not in part and part[:1].isupper()):
                outlets.append(part)
            elif is_name(part):
                names.append(usual_case(part))
    return tuple(dict.fromkeys(names)), tuple(dict.fromkeys(outlets))


def _unlinked(text: str) -> str:
    """'[[Name]]' → 'Name'; '[[Name|Alias]]' → 'Name' (the note's name is the full one)."""
    match = WIKILINK.match(text.strip().strip("\"'"))
    return (match.group("target") or match.group("alias") or "") if match else text.strip().strip("\"'")


def clipper_tags(value: Any) -> tuple[str, ...]:
    """Tags as a list, '[a, b]' or 'a, b'; the clipper's own ('clippings') left out."""
    items = value if isinstance(value, list) else re.split(r"\s*,\s*", str(value).strip().strip("[]"))
    tags = (" ".join(str(i).strip().strip("\"'").lstrip("#").split()) for i in items if isinstance(i, str))
    return tuple(dict.fromkeys(t for t in tags if t and t.lower() not in CLIPPER_TAGS))


def read(rows: list[Row]) -> tuple[Meta, list[Row]]:
    """(the clipper's front matter, the rows after it); an empty Meta when there is none."""
    if not rows or rows[0][1].strip() != "---":
        return Meta(), rows
    end = next((i for i, (_, line) in enumerate(rows[1:MAX_LINES], 1) if line.strip() in ("---", "...")), None)
    if end is None:
        return Meta(), rows
    inner = rows[1:end]
    fields = _yaml(inner) or _lines(inner)
    if not fields or not CLIPPER_KEYS & set(fields):
        return Meta(), rows
    return Meta(fields), rows[end + 1:]


def _yaml(rows: list[Row]) -> dict[str, tuple[Any, int]] | None:
    if not rows:
        return None
    try:
        data, lines = parse_yaml("\n".join(line for _, line in rows), "clipping", rows[0][0])
    except ContentError:
        return None
    return {key: (value, lines.get(key, rows[0][0])) for key, value in data.items()}


def _lines(rows: list[Row]) -> dict[str, tuple[Any, int]] | None:
    """`key: value` lines read as text, `  - item` lines as a list: YAML a clipper got wrong."""
    fields: dict[str, tuple[Any, int]] = {}
    key = None
    for number, line in rows:
        if not line.strip():
            continue
        if (match := KEY_LINE.match(line)) is not None:
            key = match.group("key").lower()
            fields[key] = ((match.group("value") or "").strip(), number)
        elif key and (item := ITEM_LINE.match(line)) is not None:
            value = fields[key][0]
            fields[key] = ([*(value if isinstance(value, list) else []), item.group("value").strip()], fields[key][1])
        else:
            return None  # not front matter after all
    return fields
