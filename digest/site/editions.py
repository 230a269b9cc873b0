"""Editions: every day with published articles, as the reader gets it.

An edition file (`content/editions/YYYY-MM-DD.md`) gives a day its title, summary,
editor's note (the body) and sections; without one, sections follow the site's
`[edition] sections_by`. `read_edition` checks a file on its own (parse stage),
`editions` matches the files with the index's days (index stage): every error
names the file, the line, the field and the fix.
"""
from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Any

import yaml

from digest.errors import ContentError, DigestError, did_you_mean
from digest.site.articles import decode
from digest.site.config import Config
from digest.site.frontmatter import Loader, split
from digest.site.markdown import render
from digest.site.model import Article, Edition, SiteIndex
from digest.site.slugs import term_key, term_slug

FOLDER = "editions"  # below content/: edition files, never articles
KEYS = ("title", "summary", "sections")
SECTION_KEYS = ("title", "articles", "tag")
MORE = "More"


@dataclass(frozen=True, slots=True)
class SectionSpec:
    """One section as an edition file writes it: a list of slugs, or a tag."""

    title: str
    line: int
    articles: tuple[tuple[str, int], ...] = ()  # (slug, line)
    tag: str | None = None


@dataclass(frozen=True, slots=True)
class EditionFile:
    """An edition file, checked on its own (not yet against the day's articles)."""

    path: str
    day: date
    title: str | None
    summary: str | None
    note_html: str
    sections: tuple[SectionSpec, ...]


def edition_files(root: str) -> list[tuple[str, bytes]]:
    """(path below root, bytes) of every edition file; few and small, so read whole each build."""
    folder = f"{root}/content/{FOLDER}"
    try:
        names = sorted(e.name for e in os.scandir(folder) if e.is_file() and e.name.endswith(".md")
                       and not e.name.startswith((".", "#", "~")))
    except OSError:
        return []
    found = []
    for name in names:
        try:
            with open(f"{folder}/{name}", "rb") as f:
                found.append((f"content/{FOLDER}/{name}", f.read()))
        except OSError:
            continue
    return found


def read_edition(raw: bytes, path: str, config: Config) -> EditionFile:
    """One edition file → EditionFile; ContentError (the first problem) when it is wrong."""
    stem = path.rsplit("/", 1)[-1][:-3]
    try:
        day = date.fromisoformat(stem)
        if len(stem) != 10:
            raise ValueError(stem)
    except ValueError:
        raise ContentError(path, f"'{stem}' is not a date", line=1, field="file",
                           hint="name an edition file after its day, YYYY-MM-DD.md, e.g. 2016-11-09.md") from None
    text = decode(raw, path)
    parts = split(text, path)
    data, lines = parts.data, parts.lines
    for key in data:
        if key not in KEYS:
            raise ContentError(path, "unknown field", line=lines.get(key), field=key,
                               hint=did_you_mean(key, KEYS) or f"an edition file knows {', '.join(KEYS)}")
    for key in ("title", "summary"):
        if key in data and not (isinstance(data[key], str) and data[key].strip()):
            raise ContentError(path, "must be a text string", line=lines.get(key), field=key,
                               hint=f'write {key}: "…" or leave the line out')
    sections = _sections(data.get("sections"), lines.get("sections", 1), _item_lines(text), path)
    note = render(parts.body, config.allow_html).html if parts.body.strip() else ""
    return EditionFile(path, day, _text(data.get("title")), _text(data.get("summary")), note, sections)


def _text(value: Any) -> str | None:
    return " ".join(value.split()) if isinstance(value, str) else None


ItemLines = list[tuple[int, dict[str, int], list[int]]]  # per section: its line, its keys', its slugs'


def _item_lines(text: str) -> ItemLines:
    """Lines of each section, its keys and its slugs, from the front matter's YAML nodes."""
    head = text.split("\n")
    try:
        end = head.index("---", 1)
    except ValueError:
        return []
    try:
        root = yaml.compose("\n".join(head[1:end]), Loader=Loader)
    except yaml.YAMLError:
        return []
    found: ItemLines = []
    if not isinstance(root, yaml.MappingNode):
        return found
    for key, value in root.value:
        if getattr(key, "value", None) == "sections" and isinstance(value, yaml.SequenceNode):
            for item in value.value:
                keys, slugs = {}, []
                if isinstance(item, yaml.MappingNode):
                    for k, v in item.value:
                        keys[str(k.value)] = k.start_mark.line + 2
                        if k.value == "articles" and isinstance(v, yaml.SequenceNode):
                            slugs = [s.start_mark.line + 2 for s in v.value]
                found.append((item.start_mark.line + 2, keys, slugs))
    return found


def _sections(raw: Any, line: int, item_lines: ItemLines, path: str) -> tuple[SectionSpec, ...]:
    if raw is None:
        return ()
    example = "e.g. sections: [{title: World, articles: [a-slug, another-slug]}, {title: Trade, tag: Trade}]"
    if not isinstance(raw, list):
        raise ContentError(path, "must be a list of sections", line=line, field="sections", hint=example)
    specs = []
    for i, item in enumerate(raw):
        at, keys, slugs = item_lines[i] if i < len(item_lines) else (line, {}, [])
        field = f"sections[{i + 1}]"
        if not isinstance(item, dict):
            raise ContentError(path, "must be a mapping with title and articles or tag", line=at, field=field,
                               hint=example)
        for key in item:
            if key not in SECTION_KEYS:
                raise ContentError(path, "unknown field", line=keys.get(key, at), field=f"{field}.{key}",
                                   hint=did_you_mean(key, SECTION_KEYS) or "a section has title and articles or tag")
        title = item.get("title")
        if not (isinstance(title, str) and title.strip()):
            raise ContentError(path, "a section needs a title (text)", line=keys.get("title", at),
                               field=f"{field}.title", hint='e.g. title: "Europe"')
        if ("articles" in item) == ("tag" in item):
            raise ContentError(path, "a section has either articles or tag", line=at, field=field,
                               hint="list its slugs under articles:, or name one tag: to gather its articles")
        if "tag" in item:
            if not (isinstance(item["tag"], str) and item["tag"].strip()):
                raise ContentError(path, "must be a text string", line=keys.get("tag", at), field=f"{field}.tag",
                                   hint='e.g. tag: "Trade"')
            specs.append(SectionSpec(_text(title) or "", at, tag=item["tag"].strip()))
            continue
        listed = item["articles"]
        if not isinstance(listed, list) or not all(isinstance(s, str) and s.strip() for s in listed):
            raise ContentError(path, "must be a list of article slugs", line=keys.get("articles", at),
                               field=f"{field}.articles", hint="e.g. articles: [opec-agrees-output-cut]")
        where = [slugs[j] if j < len(slugs) else keys.get("articles", at) for j in range(len(listed))]
        specs.append(SectionSpec(_text(title) or "", at, tuple(zip((s.strip() for s in listed), where))))
    return tuple(specs)


# ---------------------------------------------------------------- against the index


def editions(index: SiteIndex, files: Iterable[EditionFile], config: Config,
             unpublished_days: set[date]) -> tuple[Mapping[date, Edition], list[DigestError]]:
    """Every day's edition: from its file, else the site's default sections. A file for a day whose
    articles are all unpublished (drafts, scheduled) waits for them; for an empty day it is an error."""
    by_day = {f.day: f for f in files}
    errors: list[DigestError] = []
    quiet = unpublished_days | {a.day for a in index.removed}  # a takedown must never stop the build
    for day, file in sorted(by_day.items()):
        if day not in index.days and day not in quiet:
            errors.append(ContentError(
                file.path, f"{day.isoformat()} has no published articles", line=1, field="file",
                hint="name the file after a day that has articles (YYYY-MM-DD.md), or delete it"))
    made = {}
    for day, urls in index.days.items():
        articles = index.resolve(urls)
        written = by_day.get(day)
        if written is None:
            made[day] = Edition(day, None, None, "", default_sections(articles, index, config.sections_by))
            continue
        sections, problems = _file_sections(written, articles, index)
        errors.extend(problems)
        made[day] = Edition(day, written.title, written.summary, written.note_html, sections, written.path)
    return MappingProxyType(made), errors


Sections = tuple[tuple[str, tuple[str, ...]], ...]


def default_sections(articles: tuple[Article, ...], index: SiteIndex, taxonomy: str) -> Sections:
    """Sections by the term most of the day's articles share; an article whose terms no other
    article of the day has goes to "More". One untitled section when nothing is shared."""
    if taxonomy == "none":
        return (("", tuple(a.url for a in articles)),)
    counts = Counter(term_key(n) for a in articles for n in set(a.terms_of(taxonomy)))
    groups: dict[str, list[str]] = {}
    for article in articles:  # newest first: a section's place is that of its newest article
        shared = [n for n in article.terms_of(taxonomy) if counts[term_key(n)] > 1]
        best = max(shared, key=lambda n: counts[term_key(n)], default=None)
        groups.setdefault(_term_name(index, taxonomy, best) if best else MORE, []).append(article.url)
    if list(groups) == [MORE]:
        return (("", tuple(groups[MORE])),)
    named = sorted((t for t in groups if t != MORE), key=lambda t: -len(groups[t]))  # stable: newest first
    return tuple((t, tuple(groups[t])) for t in [*named, *([MORE] if MORE in groups else [])])


def _term_name(index: SiteIndex, taxonomy: str, name: str) -> str:
    term = index.terms.get(taxonomy, {}).get(term_slug(name))
    return term.name if term else name


def _file_sections(file: EditionFile, articles: tuple[Article, ...],
                   index: SiteIndex) -> tuple[Sections, list[DigestError]]:
    by_slug = {a.slug: a for a in articles}
    taken_down = {a.slug for a in index.removed if a.day == file.day}  # left out quietly, as everywhere
    placed: dict[str, tuple[str, int]] = {}  # url → (section, line)
    errors: list[DigestError] = []
    sections: list[tuple[str, tuple[str, ...]]] = []
    for n, spec in enumerate(file.sections, 1):
        urls: list[str] = []
        for slug, line in spec.articles:
            field = f"sections[{n}].articles"
            article = by_slug.get(slug)
            if article is None and slug in taken_down:
                continue
            if article is None:
                errors.append(ContentError(
                    file.path, f"'{slug}' is not an article published on {file.day.isoformat()}", line=line,
                    field=field, hint=did_you_mean(slug, by_slug) or f"that day's slugs: {', '.join(sorted(by_slug))}"))
            elif article.url in placed:
                where, first = placed[article.url]
                errors.append(ContentError(
                    file.path, f"'{slug}' is already in section '{where}' (line {first})", line=line, field=field,
                    hint="list each article once"))
            else:
                placed[article.url] = (spec.title, line)
                urls.append(article.url)
        if spec.tag is not None:
            key = term_key(spec.tag)
            tagged = [a for a in articles if any(term_key(t) == key for _, names in a.terms for t in names)]
            if not tagged:
                errors.append(ContentError(
                    file.path, f"no article of {file.day.isoformat()} has the term '{spec.tag}'", line=spec.line,
                    field=f"sections[{n}].tag", hint="name a tag of one of the day's articles, or list articles:"))
            for article in tagged:
                if article.url not in placed:
                    placed[article.url] = (spec.title, spec.line)
                    urls.append(article.url)
        if urls:
            sections.append((spec.title, tuple(urls)))
    rest = tuple(a.url for a in articles if a.url not in placed)
    if rest:
        sections.append((MORE if sections else "", rest))
    return tuple(sections), errors
