"""The text of a new article file, as `digest new` and `digest import` write it.

Every front-matter field is present: filled ones as values, the others
commented out with an example, so an editor sees the whole contract in the
file and never has to look a field name up. Values are quoted whenever
plain YAML could misread them; the result always loads with `digest/site/articles.py`.
"""
from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from digest.editor.todo import TODO_KEY
from digest.site.config import Config
from digest.site.schema import BY_NAME, FIELDS, NAMES, help_of

PLAIN_NAME = re.compile(r"^[^\W_][\w .'’()\-–]*(?<![ :])$")
WRITTEN = frozenset({"title", "date", "updated", "slug", "summary", "authors", "source", "via",
                     "original", "copyright", "disclaimer", "draft", "extra"})
PLAIN_URL = re.compile(r"^https?://[^\s\"'#\[\]{},]+$")
COMMENT_COLUMN = 33


@dataclass(frozen=True)
class Draft:
    """What a new article says, before it is written out."""

    title: str
    date: str  # as it will be written: '2016-11-09' or an ISO datetime
    slug: str | None = None  # only when it is not the title's own slug
    summary: str | None = None
    authors: tuple[str, ...] = ()
    terms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # taxonomy → names
    source_name: str | None = None
    source_url: str | None = None
    source_published: str | None = None
    via_name: str | None = None
    via_url: str | None = None
    original: bool = False
    copyright: str | None = None
    disclaimer: str | None = None
    draft: bool = False
    todo: tuple[str, ...] = ()
    body: str = ""
    unsourced: bool = False  # an import that names no publisher: see _source


def quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def name(text: str) -> str:
    """A name as a flow-list item: plain when unambiguous, quoted otherwise."""
    return text if PLAIN_NAME.match(text) else quoted(text)


def url(text: str) -> str:
    return text if PLAIN_URL.match(text) else quoted(text)


def names(items: tuple[str, ...]) -> str:
    return "[" + ", ".join(name(i) for i in items) + "]"


def article_text(draft: Draft, config: Config) -> str:
    """The whole file: front matter, then the body."""
    lines = ["---", *front_matter(draft, config), "---"]
    body = draft.body.strip("\n")
    return "\n".join(lines) + "\n" + (f"\n{body}\n" if body else "\n")


def front_matter(d: Draft, config: Config) -> list[str]:
    out = [f"title: {quoted(d.title)}", f"date: {d.date}",
           commented(f"# updated: {d.date[:10]}", help_of("updated")),
           f"slug: {d.slug}" if d.slug else commented("# slug: custom-slug", _default("slug"))]
    out.append(f"summary: {quoted(d.summary)}" if d.summary else
               commented('# summary: "One-sentence lede."', _default("summary")))
    out.append(f"authors: {names(d.authors)}" if d.authors else "# authors: [Name]")
    for taxonomy, label in config.taxonomies.items():
        values = d.terms.get(taxonomy, ())
        out.append(f"{taxonomy}: {names(values)}" if values else f"{taxonomy}: []   # {label}")
    out += _source(d) + _via(d)
    out.append("original: true" if d.original else commented("# original: true", help_of("original")))
    out.append(f"copyright: {quoted(d.copyright)}" if d.copyright else
               f'# copyright: "Copyright © {d.source_name or "Outlet"}, {d.date[:4]}"')
    out.append(f"disclaimer: {d.disclaimer}" if d.disclaimer else f"# disclaimer: {_disclaimer_help(config)}")
    out.append("draft: true" if d.draft else commented("# draft: true", help_of("draft")))
    # Fields added to the schema after this template was written still get their line.
    out += [f"# {f.name}: …" for f in FIELDS if f.name in NAMES and f.name not in WRITTEN]
    out += _extra(d)
    return out


def commented(line: str, comment: str) -> str:
    """A front-matter line with its comment, the comments aligned in one column."""
    return line + " " * max(3, COMMENT_COLUMN - len(line)) + "# " + comment


def _default(field: str) -> str:
    return f"default: {BY_NAME[field].default}"


def _source(d: Draft) -> list[str]:
    if d.unsourced and not d.source_name:
        # An invented name ('Unknown source') would be published as an outlet with its own
        # page: the name stays empty, so the draft cannot be published (nor built with
        # --drafts) until an editor names the outlet, and import_todo says so.
        return ["source:",
                '  name: ""                      # unknown: the clipping does not say who published it',
                f"  url: {url(d.source_url)}" if d.source_url else "  url: \"\"                       # https://…",
                f"  # published: {d.source_published or d.date[:10]}"]
    if d.original and not d.source_name:
        return [commented("# source: {name: Outlet, url: https://…}", help_of("source"))]
    published = (f"  published: {d.source_published}" if d.source_published
                 else f"  # published: {d.date[:10]}")
    return ["source:",
            f"  name: {name(d.source_name)}" if d.source_name else '  name: ""                      # required',
            f"  url: {url(d.source_url)}" if d.source_url else "  url: \"\"                       # https://…",
            published]


def _via(d: Draft) -> list[str]:
    if not d.via_name:
        return [commented("# via: {name: Outlet, url: https://…}", help_of("via"))]
    return ["via:", f"  name: {name(d.via_name)}",
            f"  url: {url(d.via_url)}" if d.via_url else "  url: \"\"                       # https://…"]


def _extra(d: Draft) -> list[str]:
    if not d.todo:
        return [commented("# extra: {}", help_of("extra"))]
    return ["extra:", f"  {TODO_KEY}:                   # delete each item when done, then this list",
            *(f"    - {quoted(item)}" for item in d.todo)]


def _disclaimer_help(config: Config) -> str:
    keys = list(config.disclaimers)
    if not keys:
        return "key                 # none defined in site.toml yet"
    default = f" (default: {config.default_disclaimer})" if config.default_disclaimer else ""
    return f"{keys[0]}  # one of: {', '.join(keys)}; false for none{default}"
