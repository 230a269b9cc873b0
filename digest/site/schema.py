"""The front-matter schema, declared once: every field an article may carry.

Validation (digest/site/articles.py) reads the fields in this order with the reader of
each field's type, so this is also the order an article's errors are listed
in (and `slug` comes after `title`, `source` after `original`, which they
depend on). The Article record has an attribute of each top-level field's
name (digest/site/model.py; a test keeps the two in step), `digest new` writes every
field (digest/editor/article_text.py), and README's front-matter table is `markdown_table()`.
A key of a mapping field is a field of its own: `source.url`, `image.alt`.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

Type = Literal["text", "verbatim", "date", "boolean", "names", "terms", "slug", "source", "link",
               "url", "disclaimer", "mapping", "image", "path", "corrections", "removal", "aliases"]
# How README's table names each type.
TYPE_LABELS: Mapping[Type, str] = MappingProxyType({
    "text": "text", "verbatim": "text", "date": "date", "boolean": "`true` or `false`",
    "names": "list of names", "terms": "list of names", "slug": "URL segment", "source": "mapping",
    "link": "mapping", "url": "URL", "disclaimer": "key or `false`", "mapping": "mapping",
    "image": "mapping", "path": "path", "corrections": "list of mappings", "removal": "mapping",
    "aliases": "list of URL paths",
})
TAXONOMY = "<taxonomy>"  # stands for each taxonomy site.toml declares (tags, regions, …)


@dataclass(frozen=True, slots=True)
class Field:
    """One front-matter field: what it is called, holds and means, and what validation checks."""

    name: str  # as written; 'source.url' for the key 'url' of the mapping 'source'
    type: Type  # picks the validator's reader (digest/site/articles.py) and the README's type label
    help: str  # what it is; `digest new` writes it as the commented line's comment
    required: bool = False  # a key of a mapping: required whenever the mapping is given
    default: str = ""  # what an absent field means
    rule: str = ""  # what validation checks beyond the type

    @property
    def parent(self) -> str | None:
        """'source' for 'source.url'; None for a top-level field."""
        return self.name.rpartition(".")[0] or None

    @property
    def key(self) -> str:
        return self.name.rpartition(".")[2]

    @property
    def attr(self) -> str:
        """The Article attribute (or Source, Link, Image attribute) that holds the value."""
        return "terms" if self.name == TAXONOMY else self.key


FIELDS: tuple[Field, ...] = (
    Field("title", "text", "the headline", required=True, rule="not empty"),
    Field("date", "date", "when it was published", required=True,
          rule="`YYYY-MM-DD` (midnight in the site's time zone) or an ISO 8601 datetime, offset optional; "
               "filed in the site's zone; years 1 to 9999"),
    Field("updated", "date", "when you revise it after publishing", rule="as `date`; never before `date`"),
    Field("original", "boolean", "your own writing: then no source is needed", default="`false`"),
    Field("source", "source", "where it was first published", required=True,
          rule="not needed with `original: true`; the outlet's name alone is accepted"),
    Field("source.name", "text", "the outlet's name", required=True),
    Field("source.url", "url", "the original article's address",
          rule="a web address, published as browsers send it"),
    Field("source.published", "date", "when the outlet published it", rule="as `date`"),
    Field("slug", "slug", "the last segment of the article's URL", default="made from the title",
          rule="one path segment: no `/`, `\\` or `..`; cleaned like a title"),
    Field("authors", "names", "the byline", rule="a name or a list of names"),
    Field(TAXONOMY, "terms", "the article's terms in each taxonomy of site.toml, e.g. `tags: [Diplomacy]`",
          rule="a name or a list of names; spellings merge case- and space-insensitively"),
    Field("via", "link", "where you found it, if not at the source",
          rule="the outlet's name alone is accepted"),
    Field("via.name", "text", "the outlet's name", required=True),
    Field("via.url", "url", "the page where you found it", rule="as `source.url`"),
    Field("copyright", "verbatim", "the copyright line", rule="line breaks kept"),
    Field("disclaimer", "disclaimer", "the disclaimer shown with the article",
          default="the outlet's (`[sources.\"Name\"]`), else `default_disclaimer`",
          rule="a key of `[disclaimers]`, or `false` to show none"),
    Field("draft", "boolean", "keeps it unpublished", default="`false`",
          rule="left out of `digest build` unless `--drafts`"),
    Field("summary", "text", "the one-sentence lede", default="the first paragraph"),
    Field("extra", "mapping", "free-form data for your own templates"),
    Field("image", "image", "a picture above the body, in feeds and link previews"),
    Field("image.src", "path", "the picture's file", required=True,
          rule="a jpg, jpeg, png, gif, webp or avif path below `content/` (published at `/media/…`), "
               "or `/static/…` from the theme"),
    Field("image.alt", "text", "what the picture shows, for readers who cannot see it", required=True),
    Field("image.caption", "text", "a caption under the picture"),
    Field("image.credit", "text", "whose picture it is"),
    Field("corrections", "corrections", "public corrections, shown above the body and at `/corrections/`",
          rule="a list of `{date, text}`; the latest date moves `updated` (a later `updated` wins); "
               "errors name the item: `corrections[1].date` is the first one's date"),
    Field("corrections.date", "date", "when the correction was made", required=True,
          rule="as `date`; never before `date`"),
    Field("corrections.text", "verbatim", "what was wrong and what is right, in Markdown", required=True,
          rule="not empty"),
    Field("removed", "removal", "takes the article down: its URL keeps a notice, it leaves every list, "
          "feed, sitemap and the search", rule="`digest takedown PATH --reason \"…\"` writes it"),
    Field("removed.date", "date", "when it was taken down", required=True, rule="as `date`"),
    Field("removed.reason", "text", "why, shown to readers", required=True, rule="not empty"),
    Field("aliases", "aliases", "old URLs of the article, each to redirect (301) to it",
          rule="site paths like `/2016/11/09/old-slug/`: start and end with `/`; letters, digits, "
               "`-._~%` between; the build adds those it published itself (`content/.urls.toml`)"),
)
BY_NAME: Mapping[str, Field] = MappingProxyType({f.name: f for f in FIELDS})
# The top-level field names an article may use besides its taxonomies (which may not take them).
NAMES: frozenset[str] = frozenset(f.name for f in FIELDS if f.parent is None and f.name != TAXONOMY)


def keys_of(parent: str) -> tuple[str, ...]:
    """The keys a mapping field takes: keys_of('via') == ('name', 'url')."""
    return tuple(f.key for f in FIELDS if f.parent == parent)


def help_of(name: str) -> str:
    return BY_NAME[name].help


def markdown_table() -> str:
    """README's front-matter reference table (tests/test_schema.py keeps README in step)."""
    rows = ["| field | type | required | default | what it is | rule |", "|---|---|---|---|---|---|"]
    for f in FIELDS:
        required = ("yes" if f.parent is None else f"with `{f.parent}`") if f.required else ""
        rows.append(f"| `{f.name}` | {TYPE_LABELS[f.type]} | {required} | {f.default} | {f.help} | {f.rule} |")
    return "\n".join(rows) + "\n"
