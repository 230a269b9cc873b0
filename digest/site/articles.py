"""Find article files, read them strictly, validate them → frozen Articles.

`load_article` is a pure function of (file bytes, config) so it can run in
worker processes and be cached by content hash.
"""
from __future__ import annotations

import html
import os
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, time
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from digest.errors import ContentError, DigestError, did_you_mean
from digest.site.config import Config
from digest.site.frontmatter import split
from digest.site.images import read_image
from digest.site.markdown import render
from digest.site.model import Article, Correction, Image, Link, Removal, Source
from digest.site.schema import FIELDS, NAMES, Field, Type, keys_of
from digest.site.slugs import slugify, term_key
from digest.site.weburl import WebURLError, web_url

ARTICLE_SUFFIXES = (".md", ".markdown")
# Far above any real article; keeps a pasted data dump from costing gigabytes in pages and feeds.
MAX_ARTICLE_BYTES = 2 * 2**20
NULLS = ("", "~", "null", "Null", "NULL")


def find_articles(content_dir: Path) -> list[Path]:
    """Every article file under content/, sorted; hidden, temp and swap files skipped, and
    content/editions/ (edition files, not articles)."""
    found: list[Path] = []
    for folder, dirs, files in os.walk(content_dir, followlinks=False):
        top = Path(folder) == content_dir
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")) and not (top and d == "editions"))
        found.extend(Path(folder, f) for f in files if is_article_name(f))
    return sorted(found)


def is_article_name(name: str) -> bool:
    """True for 'x.md'; false for editors' temp files ('.x.md.swp', 'x.md~', '#x.md#')."""
    return (name.endswith(ARTICLE_SUFFIXES) and not name.startswith((".", "#", "~"))
            and "___jb_" not in name)


def linked_outside(path: Path, content_dir: Path) -> str | None:
    """Where an article file that is a symbolic link really lives, when that is outside
    content/ (a link must not publish a file from elsewhere on the machine); else None."""
    if not os.path.islink(path):
        return None
    real = os.path.realpath(path)
    return None if Path(real).is_relative_to(os.path.realpath(content_dir)) else real


def outside_error(rel: str, real: str) -> ContentError:
    return ContentError(rel, f"is a symbolic link to {real}, outside content/", line=1, field="file",
                        hint="copy the article into content/ instead of linking to it")


def decode(raw: bytes, path: str) -> str:
    """UTF-8 (BOM accepted), CRLF and CR normalised to LF; anything else is an error."""
    if len(raw) > MAX_ARTICLE_BYTES:
        raise ContentError(path, f"file is {len(raw) / 2**20:.1f} MiB; articles are limited to "
                           f"{MAX_ARTICLE_BYTES // 2**20} MiB", line=1, field="size",
                           hint="a news article is rarely over 100 KiB: split it, or link large "
                                "documents instead of pasting them")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[:exc.start]
        line = before.count(b"\n") + before.count(b"\r") - before.count(b"\r\n") + 1  # LF, CRLF or CR
        raise ContentError(path, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
                           line=line, field="encoding",
                           hint="save the file as UTF-8, e.g. with your editor's Save with Encoding") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def load_article(raw: bytes, path: str, config: Config) -> Article:
    """Validate one article file; raise ContentError, or BuildFailed-worthy errors as a group."""
    parts = split(decode(raw, path), path)
    return _Validator(path, parts.data, parts.lines, config).article(parts.body, parts.body_line)


class ArticleErrors(Exception):
    """All problems found in one article; those of a draft say so (a build without --drafts
    leaves the draft out and only warns)."""

    def __init__(self, errors: list[DigestError]) -> None:
        super().__init__(errors)
        self.errors = errors


class _Validator:
    """Checks each front-matter field, collecting every problem of the file."""

    def __init__(self, path: str, data: dict[str, Any], lines: dict[str, int], config: Config) -> None:
        self.path, self.data, self.lines, self.config = path, data, lines, config
        self.errors: list[DigestError] = []
        self.values: dict[str, Any] = {}  # Article attribute → value, as the fields are read

    def fail(self, field: str, message: str, hint: str | None = None) -> None:
        """Record a problem at the field's line ('source.url' at its own line, else at 'source:')."""
        line = (self.lines.get(field) or self.lines.get(field.rpartition(".")[0])
                or self.lines.get(field.split(".", 1)[0].split("[", 1)[0], 1))
        self.errors.append(ContentError(self.path, message, line=line, field=field, hint=hint))

    def article(self, body: str, body_line: int) -> Article:
        allowed = NAMES | set(self.config.taxonomies)
        for key in self.data:
            if key not in allowed:
                self.fail(key, "unknown field", did_you_mean(key, allowed)
                          or "custom data goes under 'extra:'; taxonomies are declared in site.toml")
        for field in FIELDS:  # the schema's order: slug after title, source after original
            if field.parent is None:  # a mapping's reader reads its keys
                self.values[field.attr] = READERS[field.type](self, field)
        values = self.values
        self.check_order(values["date"], values["updated"])
        self.check_corrections(values["date"], values["corrections"])
        if values["corrections"]:  # the latest correction revises the article; a later `updated` wins
            latest = max(c.date for c in values["corrections"])
            values["updated"] = max(values["updated"] or latest, latest)
        rendered = render(body, self.config.allow_html)
        self.check_policy(rendered.html, body_line)
        if self.errors:
            if values["draft"]:
                self.errors = [replace(e, in_draft=True) for e in self.errors]
            raise ArticleErrors(self.errors)
        assert values["date"] is not None and values["title"] is not None
        return Article(
            path=self.path, url=self.url(values["date"], values["slug"]), body_html=rendered.html,
            **{**values, "summary": values["summary"] or rendered.first_paragraph},
            lines=MappingProxyType({**self.lines, "body": body_line}),
        )

    # -- field readers: each returns a clean value or records an error and returns a default

    def raw(self, field: str) -> Any:
        value = self.data.get(field)
        return None if isinstance(value, str) and value in NULLS else value

    def text(self, field: str, required: bool = False, verbatim: bool = False) -> str | None:
        value = self.raw(field)
        if value is None:
            if required:
                self.fail(field, "required field is missing", f'add a line {field}: "…"')
            return None
        if not isinstance(value, str):
            self.fail(field, "must be text", 'quote it: field: "…"')
            return None
        value = value.strip() if verbatim else " ".join(value.split())
        if required and not value:
            self.fail(field, "must not be empty", f'write the {field} between the quotes: {field}: "…"')
        return value or None

    def when(self, field: str, required: bool = False) -> datetime | None:
        value = self.raw(field)
        if value is None:
            if required:
                self.fail(field, "required field is missing", "add e.g. date: 2016-11-09")
            return None
        try:
            if not isinstance(value, str):
                raise ValueError(value)
            return read_when(value, self.config)
        except OverflowError:
            self.fail(field, f"'{value}' is outside the calendar (years 1 to 9999, in UTC and in the "
                      f"site's time zone {self.config.timezone})", "check the year")
        except ValueError:
            self.fail(field, f"invalid date '{value}'",
                      "use YYYY-MM-DD or an ISO 8601 datetime such as 2016-11-09T14:30:00+03:00")
        return None

    def check_order(self, when: datetime | None, updated: datetime | None) -> None:
        """`updated` is a revision after publishing: never before `date`."""
        if when is not None and updated is not None and updated < when:
            self.fail("updated", f"'{self.data['updated']}' is before the article's date "
                      f"'{self.data['date']}'",
                      "updated is when the article was revised after publishing: set it on or "
                      "after date, or remove it")

    def boolean(self, field: str) -> bool:
        value = self.raw(field)
        if value is None:
            return False
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        self.fail(field, f"must be true or false, not '{value}'", f"write {field}: true or {field}: false")
        return False

    def names(self, field: str) -> tuple[str, ...]:
        value = self.raw(field)
        if value is None:
            return ()
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
            self.fail(field, "must be a list of names", f"e.g. {field}: [First, Second]")
            return ()
        seen: dict[str, str] = {}
        for item in items:
            name = " ".join(item.split())
            if not name:
                self.fail(field, "contains an empty name", "remove the empty item from the list")
            seen.setdefault(term_key(name), name)
        return tuple(n for n in seen.values() if n)

    def terms(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        return tuple((tax, self.names(tax)) for tax in self.config.taxonomies)

    def slug(self, title: str | None) -> str:
        value = self.raw("slug")
        if value is None:
            return slugify(title or "untitled")
        if not isinstance(value, str):
            self.fail("slug", "must be text", "write slug: some-words")
            return "invalid"
        if "/" in value or "\\" in value or ".." in value:
            self.fail("slug", f"'{value}' is not a single URL segment",
                      f"use e.g. slug: {slugify(value.replace('/', ' '))}")
            return "invalid"
        return slugify(value)

    def link(self, field: str, value: Any) -> tuple[str | None, str | None]:
        """(name, url) of a `source` or `via` mapping (or a bare name)."""
        if isinstance(value, str):
            value = {"name": value}
        if not isinstance(value, dict):
            self.fail(field, "must be a mapping with name and url", f"{field}: {{name: …, url: https://…}}")
            return None, None
        allowed = set(keys_of(field))
        for key in value:
            if key not in allowed:
                self.fail(f"{field}.{key}", "unknown key", did_you_mean(key, allowed)
                          or f"{field} takes {', '.join(sorted(allowed))}")
        name, url = value.get("name"), value.get("url")
        if not isinstance(name, str) or not name.strip():
            self.fail(f"{field}.name", "needs the outlet's name", f"{field}: {{name: Outlet, url: https://…}}")
            name = None
        if url in NULLS:
            url = None
        if url is not None:
            try:
                url = _web_url(url)
            except WebURLError as exc:
                self.fail(f"{field}.url", exc.problem, exc.hint)
                url = None
        return (" ".join(name.split()) if name else None), url

    def source(self, required: bool) -> Source | None:
        value = self.raw("source")
        if value is None:
            if required:
                self.fail("source", "required field is missing",
                          "add source: {name: …, url: https://…}, or original: true for your own writing")
            return None
        name, url = self.link("source", value)
        published = None
        if isinstance(value, dict) and value.get("published") not in (None, *NULLS):
            published = parse_when(str(value["published"]), self.config)
            if published is None:
                self.fail("source.published", f"invalid date '{value['published']}'",
                          "use YYYY-MM-DD or an ISO 8601 datetime, between years 1 and 9999")
        return Source(name, url, published) if name else None

    def outlet(self, field: str) -> Link | None:
        value = self.raw(field)
        if value is None:
            return None
        name, url = self.link(field, value)
        return Link(name, url) if name else None

    def disclaimer(self, field: str) -> str | bool | None:
        value = self.raw(field)
        if value is None:
            return None
        if isinstance(value, str) and value.lower() == "false":
            return False
        known = self.config.disclaimers
        if not isinstance(value, str) or value not in known:
            hint = did_you_mean(str(value), known) or (
                f"known disclaimers: {', '.join(known)}; or false for none" if known
                else "define it under [disclaimers] in site.toml")
            self.fail(field, f"unknown disclaimer '{value}'", hint)
            return None
        return value

    def image(self) -> Image | None:
        image, problems = read_image(self.raw("image"))
        for field, message, hint in problems:
            line = self.lines.get(field) or self.lines.get("image", 1)
            self.errors.append(ContentError(self.path, message, line=line,
                                            field=field, hint=hint))
        return image

    def corrections(self, field: str) -> tuple[Correction, ...]:
        """`corrections: [{date, text}]`, each item's problems named 'corrections[1].date'."""
        value = self.raw(field)
        if value is None:
            return ()
        if not isinstance(value, list):
            self.fail(field, "must be a list of {date, text} items",
                      f'{field}:\n  - {{date: 2016-11-10, text: "The minister is Lavrov, not Peskov."}}')
            return ()
        found: list[Correction] = []
        for number, item in enumerate(value, 1):
            at = f"{field}[{number}]"
            if not isinstance(item, dict):
                self.fail(at, "must be a mapping with date and text", '- {date: 2016-11-10, text: "…"}')
                continue
            correction = self.item(at, item, field)
            if correction is not None:
                found.append(Correction(*correction))
        return tuple(sorted(found, key=lambda c: c.date))

    def check_policy(self, body_html: str, body_line: int) -> None:
        """What the outlet allows (`[sources."Name"]` in site.toml): its hosts, and how much of
        its text may be republished; words are those a reader sees in the body."""
        source = self.values["source"]
        outlet = self.config.source_settings(source.name) if source is not None else None
        if outlet is None or self.values["original"]:
            return
        table = f'site.toml [sources."{outlet.name}"]'
        host = (urlsplit(source.url).hostname or "") if source.url else None
        if host is not None and not outlet.allows_host(host):
            self.fail("source.url", f"{host} is not a domain of {outlet.name} ({', '.join(outlet.domains)})",
                      f"check the outlet's name and the URL, or add the host to domains in {table}")
        words = len(WORD.findall(html.unescape(TAG.sub(" ", body_html))))
        if outlet.policy == "link":
            if words:
                self.errors.append(ContentError(
                    self.path, f"{outlet.name} allows a link only, and the body has {words} words", line=body_line,
                    field="body", hint="delete the body: the summary and the link to the source are published"))
            if not self.values["summary"]:  # at the outlet's line: the field is not there
                self.errors.append(ContentError(
                    self.path, f"required: {outlet.name} allows a link only, shown with this summary",
                    line=self.lines.get("source", 1), field="summary",
                    hint="write the lede in your own words: summary: \"…\""))
        elif outlet.policy == "excerpt" and outlet.excerpt_words is not None and words > outlet.excerpt_words:
            self.errors.append(ContentError(
                self.path, f"the body has {words} words; {outlet.name} allows excerpts of {outlet.excerpt_words}",
                line=body_line, field="body",
                hint=f"cut the body by {words - outlet.excerpt_words} words and link to the rest"))

    def aliases(self, field: str) -> tuple[str, ...]:
        """`aliases: [/old/path/]`: site paths an article was published at before."""
        value = self.raw(field)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.fail(field, "must be a list of site paths", f"{field}: [/2016/11/09/old-slug/]")
            return ()
        found: list[str] = []
        for number, item in enumerate(value, 1):
            if not isinstance(item, str) or not ALIAS.fullmatch(item) or DOTS.search(item):
                self.fail(f"{field}[{number}]", f"'{item}' is not a site path like /2016/11/09/old-slug/",
                          "start and end with /; letters, digits and -._~% between, no . or .. segment")
            elif item not in found:
                found.append(item)
        return tuple(found)

    def removal(self, field: str) -> Removal | None:
        """`removed: {date, reason}`."""
        value = self.raw(field)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.fail(field, "must be a mapping with date and reason",
                      f'{field}: {{date: 2016-11-10, reason: "Removed at the request of the copyright holder"}}')
            return None
        removal = self.item(field, value, field)
        return Removal(*removal) if removal is not None else None

    def item(self, at: str, value: dict[str, Any], field: str) -> tuple[datetime, str] | None:
        """(date, text) of one `{date, <text key>}` mapping of `field` at `at`, or None after its errors."""
        keys = keys_of(field)
        for key in value:
            if key not in keys:
                self.fail(f"{at}.{key}", "unknown key", did_you_mean(key, keys) or f"{field} takes {', '.join(keys)}")
        when_key, text_key = keys
        when, text = value.get(when_key), value.get(text_key)
        parsed = None
        if when in (None, *NULLS):
            self.fail(f"{at}.{when_key}", "required: the date", f"add {when_key}: YYYY-MM-DD")
        elif not isinstance(when, str) or (parsed := parse_when(when, self.config)) is None:
            self.fail(f"{at}.{when_key}", f"invalid date '{when}'",
                      "use YYYY-MM-DD or an ISO 8601 datetime, between years 1 and 9999")
        if not isinstance(text, str) or not text.strip():
            self.fail(f"{at}.{text_key}", "must not be empty" if isinstance(text, str) else
                      f"required: the {text_key}" if text is None else "must be text",
                      f'{text_key}: "…"')
            return None
        return (parsed, text.strip() if field == "corrections" else " ".join(text.split())) \
            if parsed is not None else None

    def check_corrections(self, when: datetime | None, corrections: tuple[Correction, ...]) -> None:
        """A correction is made after publishing: never before `date`."""
        if when is None:
            return
        for number, item in enumerate(self.data.get("corrections") or [], 1):
            raw = item.get("date") if isinstance(item, dict) else None
            parsed = parse_when(raw, self.config) if isinstance(raw, str) else None
            if parsed is not None and parsed < when:
                self.fail(f"corrections[{number}].date", f"'{raw}' is before the article's date '{self.data['date']}'",
                          "a correction is made after publishing: check the year and month")

    def extra(self, field: str) -> MappingProxyType[str, Any]:
        value = self.raw(field)
        if value is None:
            return MappingProxyType({})
        if not isinstance(value, dict):
            self.fail(field, "must be a mapping of your own fields", f"e.g. {field}: {{label: value}}")
            return MappingProxyType({})
        return MappingProxyType(value)

    def url(self, when: datetime, slug: str) -> str:
        return self.config.permalink.format(
            year=f"{when.year:04d}", month=f"{when.month:02d}", day=f"{when.day:02d}", slug=slug)


# The reader of each type of top-level field (digest/site/schema.py); each records its errors.
READERS: dict[Type, Callable[[_Validator, Field], Any]] = {
    "text": lambda v, f: v.text(f.name, f.required),
    "verbatim": lambda v, f: v.text(f.name, f.required, verbatim=True),
    "date": lambda v, f: v.when(f.name, f.required),
    "boolean": lambda v, f: v.boolean(f.name),
    "names": lambda v, f: v.names(f.name),
    "terms": lambda v, f: v.terms(),
    "slug": lambda v, f: v.slug(v.values["title"]),
    "source": lambda v, f: v.source(f.required and not v.values["original"]),
    "link": lambda v, f: v.outlet(f.name),
    "disclaimer": lambda v, f: v.disclaimer(f.name),
    "mapping": lambda v, f: v.extra(f.name),
    "image": lambda v, f: v.image(),
    "corrections": lambda v, f: v.corrections(f.name),
    "removal": lambda v, f: v.removal(f.name),
    "aliases": lambda v, f: v.aliases(f.name),
}
ALIAS = re.compile(r"/(?:[A-Za-z0-9._~%-]+/)+")  # also safe unquoted in _redirects and quoted in nginx.conf
DOTS = re.compile(r"/\.{1,2}/")
TAG = re.compile(r"<[^>]*>")
WORD = re.compile(r"\w+(?:['’-]\w+)*")


def _web_url(url: Any) -> str:
    """A source or via URL as pages, feeds and JSON-LD publish it (digest/site/weburl.py)."""
    if not isinstance(url, str):
        raise WebURLError("must be text", 'write url: "https://…" on one line')
    return web_url(url)


def parse_when(value: str, config: Config) -> datetime | None:
    """A date or ISO datetime → aware datetime in the site zone (date → midnight there);
    None when it is not one, or lies outside the calendar."""
    try:
        return read_when(value, config)
    except (ValueError, OverflowError):
        return None


def read_when(value: str, config: Config) -> datetime:
    """parse_when, raising ValueError for text that is no date and OverflowError for a date
    whose instant leaves years 1–9999 in UTC or in the site's zone (pages, feeds and
    sitemaps need both)."""
    value = value.strip()
    if len(value) == 10:
        parsed = datetime.combine(date.fromisoformat(value), time(0), tzinfo=config.tz)
    else:
        parsed = datetime.fromisoformat(value)
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=config.tz)
    parsed.astimezone(UTC)
    return parsed.astimezone(config.tz)


# ---------------------------------------------------------------- the builder's reading path
