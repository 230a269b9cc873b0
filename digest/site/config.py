"""site.toml → a frozen, validated Config.

The schema is declared once (`SCHEMA`); every problem is collected and
reported together, each naming its key and line, unknown keys with a hint.
"""
from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from digest.errors import BuildFailed, ConfigError, DigestError, did_you_mean
from digest.site.schema import NAMES
from digest.site.slugs import term_key
from digest.site.weburl import WebURLError, web_url

CONFIG_NAME = "site.toml"
DEFAULT_PERMALINK = "/{year}/{month}/{day}/{slug}/"
PERMALINK_FIELDS = frozenset({"year", "month", "day", "slug"})
# URL segments the generator itself uses at the site root; a taxonomy may not take them.
RESERVED_SEGMENTS = frozenset({"page", "sources", "feed.xml", "sitemap.xml", "robots.txt",
                               "404.html", "static", "index.html", "search", "media", "pagefind",
                               "rss.xml", "news-sitemap.xml", "editions", "archive"})
# Front-matter fields with their own meaning (digest/site/schema.py); a taxonomy may not take them either.
ARTICLE_FIELDS = NAMES
TAXONOMY_KEY = re.compile(r"^[a-z][a-z0-9_-]*$")
PERMALINK_UNSAFE = re.compile(r"[^A-Za-z0-9/_.~-]")  # anything else would need percent-encoding


@dataclass(frozen=True)
class SourceSettings:
    """Per-outlet settings from ``[sources."Name"]``."""

    name: str
    disclaimer: str | None = None
    description: str = ""
    url: str | None = None
    domains: tuple[str, ...] = ()  # the hosts of its articles' URLs (subdomains too); () checks none
    policy: str = "full"  # what it allows: "full" republishing, an "excerpt", or a "link" only
    excerpt_words: int | None = None  # with policy "excerpt": the most words of its text a body may carry

    def allows_host(self, host: str) -> bool:
        host = host.lower().rstrip(".")
        return not self.domains or any(host == d or host.endswith("." + d) for d in self.domains)


@dataclass(frozen=True)
class Config:
    """Everything site.toml says, validated; paths are absolute."""

    root: Path
    title: str
    base_url: str
    language: str = "en"
    timezone: str = "UTC"
    description: str = ""
    author: str = ""
    default_disclaimer: str | None = None
    permalink: str = DEFAULT_PERMALINK
    paginate: int = 10
    feed_limit: int = 20
    allow_html: bool = False
    theme: str = "theme"
    taxonomies: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({"tags": "Tags"}))
    disclaimers: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    sources: Mapping[str, SourceSettings] = field(default_factory=lambda: MappingProxyType({}))
    # Reader-facing features (digest/render/metadata.py, digest/render/feeds.py, digest/search/page.py, digest/site/related.py).
    canonical: str = "source"
    feed_content: str = "full"
    rss: bool = False
    search: bool = True
    related: int = 4
    sections_by: str = "tags"  # [edition] sections_by: a taxonomy key, or "none"
    newsletter: bool = False  # newsletter = true, or a [newsletter] table (digest/site/newsletter_pages.py)
    newsletter_from: str | None = None  # [newsletter] from: the sender address of `digest newsletter --format eml`
    newsletter_unsubscribe: str | None = None  # [newsletter] unsubscribe: the List-Unsubscribe header's value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def theme_dir(self) -> Path:
        return self.root / self.theme

    def source_settings(self, name: str) -> SourceSettings | None:
        """Settings of an outlet, matched case- and space-insensitively."""
        return self._sources_by_key.get(term_key(name))

    @cached_property
    def _sources_by_key(self) -> Mapping[str, SourceSettings]:
        return {term_key(k): v for k, v in self.sources.items()}


# ---------------------------------------------------------------- schema

# A check returns nothing, a problem, or a problem with its own fix (else the key's doc is the hint).
Check = Callable[[Any], str | tuple[str, str] | None]


def _text(value: Any) -> str | None:
    return None if isinstance(value, str) else "must be a text string"


def _nonempty(value: Any) -> str | None:
    return _text(value) or (None if value.strip() else "must not be empty")


def _url(value: Any) -> str | tuple[str, str] | None:
    problem = _nonempty(value)
    if problem:
        return problem
    try:
        web_url(value)
    except WebURLError as exc:
        return exc.problem, exc.hint
    return None


def _base_url(value: Any) -> str | tuple[str, str] | None:
    """An http(s) URL of a folder: every page's address is base_url + its path."""
    problem = _url(value)
    if problem is None and ("?" in value or "#" in value):
        return (f"'{value.strip()}' has a query or fragment: base_url is the site's folder",
                "remove the '?…' or '#…' part, e.g. https://digest.example.org/")
    return problem


def _positive_int(value: Any) -> str | None:
    ok = isinstance(value, int) and not isinstance(value, bool) and value > 0
    return None if ok else "must be a whole number above 0"


def _bool(value: Any) -> str | None:
    return None if isinstance(value, bool) else "must be true or false"


def _zone(value: Any) -> str | None:
    problem = _nonempty(value)
    if problem:
        return problem
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return f"unknown time zone '{value}' (use an IANA name such as 'Europe/London' or 'UTC')"
    return None


def _permalink(value: Any) -> str | None:
    problem = _nonempty(value)
    if problem:
        return problem
    names = set(re.findall(r"{(\w+)}", value))
    if "slug" not in names:
        return "must contain {slug}"
    if names - PERMALINK_FIELDS:
        return f"unknown placeholder(s) {sorted(names - PERMALINK_FIELDS)}; use {sorted(PERMALINK_FIELDS)}"
    if not (value.startswith("/") and value.endswith("/")) or ".." in value or "//" in value:
        return "must start and end with '/' and contain no '..' or '//'"
    odd = sorted(set(PERMALINK_UNSAFE.findall(re.sub(r"{\w+}", "", value))))
    if odd:
        return f"contains {' '.join(repr(c) for c in odd)}: URLs are built of letters, digits and - _ . ~ /"
    return None


def _string_table(value: Any) -> str | None:
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        return "must be a table of text values"
    return None


def _choice(*allowed: str) -> Check:
    def check(value: Any) -> str | None:
        return None if value in allowed else f"must be one of {', '.join(repr(a) for a in allowed)}"
    return check


def _count(value: Any) -> str | None:
    ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
    return None if ok else "must be a whole number, 0 or more"


def _table(value: Any) -> str | None:
    return None if isinstance(value, dict) else "must be a table"


def _bool_or_table(value: Any) -> str | None:
    return None if isinstance(value, bool | dict) else "must be true, false or a [newsletter] table"


SCHEMA: Mapping[str, tuple[Check, str]] = {
    "title": (_nonempty, "the digest's name, shown on every page"),
    "base_url": (_base_url, "absolute URL the site is published at; used in feeds and canonical links"),
    "language": (_nonempty, "BCP 47 language tag of the pages, e.g. 'en'"),
    "timezone": (_zone, "IANA zone: archives and displayed dates use it"),
    "description": (_text, "one-line description for the home page and feeds"),
    "author": (_text, "publisher name for feeds (default: title)"),
    "default_disclaimer": (_nonempty, "key of [disclaimers] shown where an article says nothing"),
    "permalink": (_permalink, "article URL pattern with {year} {month} {day} {slug}"),
    "paginate": (_positive_int, "articles per list page"),
    "feed_limit": (_positive_int, "entries per Atom feed"),
    "allow_html": (_bool, "allow raw HTML in articles (sanitized); default false escapes it"),
    "theme": (_nonempty, "folder of the site's theme, overriding the default theme file by file"),
    "taxonomies": (_string_table, "front-matter field / URL segment = display name"),
    "disclaimers": (_string_table, "named disclaimer texts, Markdown"),
    "sources": (_table, "per-outlet settings: [sources.\"Name\"] disclaimer, description, url, "
                "domains, policy (\"full\", \"excerpt\", \"link\"), excerpt_words"),
    "canonical": (_choice("source", "self"), "rel=canonical of a republished article: 'source' "
                  "(the original's URL, when it has one) or 'self'; original pieces always point at themselves"),
    "feed_content": (_choice("full", "summary"), "feed entries carry the 'full' article or only its 'summary'"),
    "rss": (_bool, "also publish RSS 2.0 feeds (rss.xml beside every feed.xml)"),
    "search": (_bool, "index the built site with Pagefind and publish a /search/ page (default true)"),
    "related": (_count, "related articles shown on each article page (0 for none)"),
    "edition": (_table, "[edition] sections_by = \"tags\" (default), \"regions\" (any taxonomy) or \"none\": "
                "how a day's edition groups its articles when it has no edition file"),
    "newsletter": (_bool_or_table,
                   "publish /YYYY/MM/DD/newsletter.html and .txt per edition: newsletter = true, or a [newsletter] "
                   "table with enabled (default true), from (sender address) and unsubscribe (List-Unsubscribe)"),
}
EDITION_KEYS = ("sections_by",)
NEWSLETTER_KEYS = ("enabled", "from", "unsubscribe")
REQUIRED = ("title", "base_url")
def _domains(value: Any) -> str | tuple[str, str] | None:
    ok = isinstance(value, list) and value and all(isinstance(d, str) and DOMAIN.fullmatch(d) for d in value)
    return None if ok else ("must be a list of host names", 'domains = ["rt.com"] (subdomains are included)')


DOMAIN = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")
POLICIES = ("full", "excerpt", "link")
SOURCE_SCHEMA: Mapping[str, Check] = {"disclaimer": _nonempty, "description": _text, "url": _url,
                                      "domains": _domains, "policy": _choice(*POLICIES),
                                      "excerpt_words": _positive_int}


# ---------------------------------------------------------------- loading

def load_config(root: Path) -> Config:
    """Read and validate ``root/site.toml``; raise BuildFailed with every problem."""
    path = root / CONFIG_NAME
    if not path.is_file():
        raise BuildFailed([ConfigError(
            CONFIG_NAME, "not found: this folder holds no site", field="file",
            hint="run 'digest init DIR' to create a site, cd into a site's folder, or pass --site DIR")])
    text = _read_text(path)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise BuildFailed([ConfigError(
            CONFIG_NAME, f"invalid TOML: {exc}", line=int(match.group(1)) if match else 1, field="syntax",
            hint="check quotes, '=' signs and [table] headers")]) from None
    errors: list[DigestError] = []
    values = _check_top_level(raw, text, errors)
    sources = _check_sources(values.pop("sources", {}), text, errors)
    values.update(_check_edition(values.pop("edition", {}), values, text, errors))
    values.update(_check_newsletter(values.pop("newsletter", False), text, errors))
    _check_references(values, sources, text, errors)
    if errors:
        raise BuildFailed(errors)
    return _freeze(root.resolve(), values, sources)


def _read_text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError as exc:
        before = exc.object[:exc.start]
        raise BuildFailed([ConfigError(
            CONFIG_NAME, f"not valid UTF-8 (byte 0x{exc.object[exc.start]:02x} at offset {exc.start})",
            line=before.count(b"\n") + 1, field="encoding", hint="save the file as UTF-8")]) from None


def line_of(text: str, key: str, table: str | None = None) -> int | None:
    """Best-effort line number of ``key = …`` (or of a ``[table]`` header) in TOML text."""
    start = 0
    lines = text.splitlines()
    if table is not None:
        header = re.compile(r"^\s*\[\s*" + _dotted_key(table) + r"\s*\]")
        start = next((i for i, ln in enumerate(lines) if header.match(ln)), 0)
    pattern = re.compile(r'^\s*["\']?' + re.escape(key) + r'["\']?\s*=')
    for number, line in enumerate(lines[start:], start + 1):
        if pattern.match(line):
            return number
    tablehead = re.compile(r"^\s*\[\s*" + re.escape(key) + r"\s*[\].]")
    for number, line in enumerate(lines, 1):
        if tablehead.match(line):
            return number
    return None


def _dotted_key(table: str) -> str:
    """A regex for a dotted table name however TOML spells each part: bare, "quoted" or 'quoted'."""
    parts = [a or b or c for a, b, c in re.findall(r'"([^"]*)"|\'([^\']*)\'|([^.\s"\']+)', table)]
    spelled = []
    for part in parts:
        options = [f'"{re.escape(part)}"', f"'{re.escape(part)}'"]
        if re.fullmatch(r"[A-Za-z0-9_-]+", part):
            options.append(re.escape(part))
        spelled.append("(?:" + "|".join(options) + ")")
    return r"\s*\.\s*".join(spelled)


def _error(text: str, key: str, message: str, hint: str | None = None,
           table: str | None = None) -> ConfigError:
    name = key if table is None else f"{table}.{key}"
    return ConfigError(CONFIG_NAME, message, line=line_of(text, key, table), field=name, hint=hint)


def _check_top_level(raw: dict[str, Any], text: str, errors: list[DigestError]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in SCHEMA:
            errors.append(_error(text, key, "unknown key",
                                 did_you_mean(key, SCHEMA) or f"known keys: {', '.join(SCHEMA)}"))
            continue
        check, doc = SCHEMA[key]
        problem = check(value)
        if problem:
            message, hint = problem if isinstance(problem, tuple) else (problem, doc)
            errors.append(_error(text, key, message, hint))
        else:
            values[key] = value
    for key in REQUIRED:
        if key not in raw:
            errors.append(ConfigError(CONFIG_NAME, "required key is missing", field=key,
                                      hint=f'add {key} = "…": {SCHEMA[key][1]}'))
    for key in values.get("taxonomies", {}):
        problem = _taxonomy_problem(key)
        if problem:
            errors.append(_error(text, key, problem, table="taxonomies"))
    return values


def _taxonomy_problem(key: str) -> str | None:
    if not TAXONOMY_KEY.match(key):
        return "taxonomy keys must be lowercase letters, digits, '-' or '_' (they are URL segments)"
    if key in RESERVED_SEGMENTS or key in ARTICLE_FIELDS:
        return f"'{key}' is reserved; choose another taxonomy name"
    return None


def _check_sources(raw: Any, text: str, errors: list[DigestError]) -> dict[str, SourceSettings]:
    sources: dict[str, SourceSettings] = {}
    for name, table in raw.items():
        where = f'sources."{name}"'
        if not isinstance(table, dict):
            errors.append(_error(text, name, "must be a table", table="sources"))
            continue
        ok = True
        for key, value in table.items():
            if key not in SOURCE_SCHEMA:
                errors.append(_error(text, key, "unknown key", table=where,
                                     hint=did_you_mean(key, SOURCE_SCHEMA)
                                     or f"known keys: {', '.join(SOURCE_SCHEMA)}"))
                ok = False
            elif problem := SOURCE_SCHEMA[key](value):
                message, hint = problem if isinstance(problem, tuple) else (problem, None)
                errors.append(_error(text, key, message, hint, table=where))
                ok = False
        if ok and (table.get("policy") == "excerpt") != ("excerpt_words" in table):
            errors.append(_error(text, "excerpt_words" if "excerpt_words" in table else "policy",
                                 "excerpt_words goes with policy = \"excerpt\", and only with it",
                                 "policy = \"excerpt\" and excerpt_words = 150, say", table=where))
            ok = False
        if ok:
            url = {"url": web_url(table["url"])} if "url" in table else {}  # as pages publish it
            domains = {"domains": tuple(table["domains"])} if "domains" in table else {}
            sources[name] = SourceSettings(name=name, **{**table, **url, **domains})
    return sources


def _check_edition(raw: dict[str, Any], values: dict[str, Any], text: str,
                   errors: list[DigestError]) -> dict[str, str]:
    """[edition]: sections_by names a taxonomy of the site, or "none"."""
    taxonomies = list(values.get("taxonomies", {"tags": "Tags"}))
    allowed = [*taxonomies, "none"]
    for key in raw:
        if key not in EDITION_KEYS:
            errors.append(_error(text, key, "unknown key", did_you_mean(key, EDITION_KEYS) or "known keys: sections_by",
                                 table="edition"))
    by = raw.get("sections_by", "tags" if "tags" in taxonomies else "none")
    if by not in allowed:
        errors.append(_error(text, "sections_by", f"must be one of {', '.join(repr(a) for a in allowed)}",
                             "a taxonomy of [taxonomies] groups each day's articles; \"none\" lists them in one",
                             table="edition"))
        return {}
    return {"sections_by": by}


def _check_newsletter(raw: bool | dict[str, Any], text: str, errors: list[DigestError]) -> dict[str, Any]:
    """newsletter = true|false, or [newsletter] enabled/from/unsubscribe (a table means enabled)."""
    if isinstance(raw, bool):
        return {"newsletter": raw}
    found: dict[str, Any] = {"newsletter": raw.get("enabled", True)}
    for key, value in raw.items():
        if key not in NEWSLETTER_KEYS:
            errors.append(_error(text, key, "unknown key", did_you_mean(key, NEWSLETTER_KEYS)
                                 or f"known keys: {', '.join(NEWSLETTER_KEYS)}", table="newsletter"))
        elif key == "enabled" and not isinstance(value, bool):
            errors.append(_error(text, key, "must be true or false", table="newsletter"))
        elif key == "from" and (_nonempty(value) or "@" not in value or "<" in value):
            errors.append(_error(text, key, "must be an e-mail address", 'e.g. from = "digest@example.org" '
                                 "(the site's title is the sender's name)", table="newsletter"))
        elif key == "unsubscribe" and (_nonempty(value) or not value.strip().startswith("<")):
            errors.append(_error(text, key, "must be a List-Unsubscribe value: <URL>s, comma-separated",
                                 'e.g. unsubscribe = "<mailto:leave@example.org>, <https://example.org/leave>"',
                                 table="newsletter"))
        elif key != "enabled":
            found[f"newsletter_{key}"] = value.strip()
    return found


def _check_references(values: dict[str, Any], sources: dict[str, SourceSettings], text: str,
                      errors: list[DigestError]) -> None:
    known = values.get("disclaimers", {})
    refs: list[tuple[str, Any, str | None]] = [("default_disclaimer", values.get("default_disclaimer"), None)]
    refs += [("disclaimer", s.disclaimer, f'sources."{s.name}"') for s in sources.values()]
    for key, ref, table in refs:
        if ref is not None and ref not in known:
            hint = did_you_mean(ref, known) or (
                f"known disclaimers: {', '.join(known)}" if known else "add it under [disclaimers]")
            errors.append(_error(text, key, f"unknown disclaimer '{ref}'", hint, table=table))


def _freeze(root: Path, values: dict[str, Any], sources: dict[str, SourceSettings]) -> Config:
    base_url = web_url(values["base_url"]).rstrip("/") + "/"  # serialized: every link starts with it
    frozen = {
        **values,
        "base_url": base_url,
        "author": values.get("author") or values["title"],
        "taxonomies": MappingProxyType(dict(values.get("taxonomies", {"tags": "Tags"}))),
        "disclaimers": MappingProxyType(dict(values.get("disclaimers", {}))),
        "sources": MappingProxyType(sources),
    }
    return Config(root=root, **frozen)
