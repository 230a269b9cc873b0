"""A clipped article → what it says about itself, each finding with its line.

    clipper front matter   title, source URL, author, published, description
    header (top down)      page furniture, # Title, byline, dateline, labels,
                           italic lede: read until the first line of story
    tail (bottom up)       credit to the original, copyright, disclaimers,
                           comment/share/subscribe links, contact lines:
                           read until the last line of story
    body                   what is left, minus 'Advertisement'-style lines

The parser knows the shapes web clippers and copy-paste produce, not the
site: `importer.py` decides what the findings mean for an article.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from digest.cliplines import (URL, Dateline, Outlet, articles_by, byline, chrome, copyright_line, dateline,
                              disclaimer_like, italic_block, label, link_only, origin, page_url, plain)
from digest.identity import variant_key

Row = tuple[int, str]  # (line number in the file, text)
# Labels that name taxonomies on news sites; the importer adds the site's own.
LABELS = frozenset({"tag", "tags", "topic", "topics", "theme", "themes", "keyword", "keywords", "subject",
                    "subjects", "category", "categories", "region", "regions", "country", "countries",
                    "location", "locations", "place", "places"})
CLIPPER_KEYS = frozenset({"title", "source", "url", "author", "authors", "published", "date", "created",
                          "description", "tags", "clipped", "site", "site_name"})


@dataclass(frozen=True)
class Found:
    value: str
    line: int


@dataclass(frozen=True)
class Located:
    outlet: Outlet
    line: int


@dataclass(frozen=True)
class Clipping:
    """Everything a clipping says about itself, located."""

    title: Found | None = None
    datelines: tuple[tuple[Dateline, int], ...] = ()
    authors: tuple[str, ...] = ()
    authors_line: int | None = None
    summary: Found | None = None
    labels: tuple[tuple[str, tuple[str, ...], int], ...] = ()  # (label as written, values, line)
    origin: Located | None = None
    page_url: Found | None = None
    copyrights: tuple[Found, ...] = ()
    disclaimers: tuple[Found, ...] = ()  # paragraphs as written
    credits: tuple[str, ...] = ()  # 'Articles by: X'
    body: str = ""
    body_line: int = 1
    removed: tuple[int, ...] = ()  # lines dropped as page furniture
    meta: dict[str, Any] = field(default_factory=dict)  # a clipper's own front matter


def parse(text: str, markdown: bool = True, labels: frozenset[str] = LABELS) -> Clipping:
    """Read a clipping (already decoded, LF line ends)."""
    rows = list(enumerate(text.split("\n"), 1))
    meta, rows = _clipper_front_matter(rows)
    state = _State(labels | LABELS, meta)
    story, tail = _split_tail(state.header(rows), state.tail_kind)
    state.read_tail(tail)
    kept = state.clean_body(story)
    paragraphs = _paragraphs(kept, markdown)
    return Clipping(
        title=state.title, datelines=tuple(state.datelines), authors=state.authors,
        authors_line=state.authors_line, summary=state.summary, labels=tuple(state.labels),
        origin=state.origin, page_url=state.page_url, copyrights=tuple(state.copyrights),
        disclaimers=tuple(state.disclaimers), credits=state.credits,
        body=_tidy("\n\n".join(paragraphs)), body_line=kept[0][0][0] if kept else 1,
        removed=tuple(sorted(state.removed)), meta=meta)


def _clipper_front_matter(rows: list[Row]) -> tuple[dict[str, Any], list[Row]]:
    """Obsidian Web Clipper, MarkDownload and friends start with YAML of their own."""
    if not rows or rows[0][1].strip() != "---":
        return {}, rows
    end = next((i for i, (_, line) in enumerate(rows[1:], 1) if line.strip() in ("---", "...")), None)
    if end is None:
        return {}, rows
    try:
        data = yaml.safe_load("\n".join(line for _, line in rows[1:end]))
    except yaml.YAMLError:
        return {}, rows
    if not isinstance(data, dict) or not CLIPPER_KEYS & set(map(str, data)):
        return {}, rows
    lines = {str(k): n for n, line in rows[1:end] for k in data if re.match(rf"^{re.escape(str(k))}\s*:", line)}
    return {str(k): (v, lines.get(str(k), 1)) for k, v in data.items()}, rows[end + 1:]


class _State:
    """Findings collected while reading one clipping."""

    def __init__(self, labels: frozenset[str], meta: dict[str, Any]) -> None:
        self.accepted = labels
        self.title: Found | None = None
        if "title" in meta and isinstance(meta["title"][0], str):
            self.title = Found(" ".join(meta["title"][0].split()), meta["title"][1])
        self.datelines: list[tuple[Dateline, int]] = []
        self.authors: tuple[str, ...] = ()
        self.authors_line: int | None = None
        self.summary: Found | None = None
        self.labels: list[tuple[str, tuple[str, ...], int]] = []
        self.origin: Located | None = None
        self.page_url: Found | None = None
        self.copyrights: list[Found] = []
        self.disclaimers: list[Found] = []
        self.credits: tuple[str, ...] = ()
        self.removed: set[int] = set()
        self.url_next = False  # 'Url of this article:' with the address on the next line

    # -- the header, top down

    def header(self, rows: list[Row]) -> list[Row]:
        """Read the lines above the story; returns the rest."""
        heading = _first_heading(rows)
        if self.title and heading is not None:  # the clipper's title, repeated as a heading: drop it
            repeated = variant_key(plain(rows[heading][1])) in variant_key(self.title.value)
            if repeated:
                setext = heading + 1 < len(rows) and re.fullmatch(r"=+", rows[heading + 1][1].strip() or "-")
                end = heading + (2 if setext else 1)
                self.removed.update(n for n, _ in rows[heading:end])
                rows = rows[:heading] + rows[end:]
            heading = None
        i = 0
        while i < len(rows):
            number, line = rows[i]
            text = line.strip()
            if heading is not None and i == heading:
                underline = i + 1 < len(rows) and re.fullmatch(r"=+", rows[i + 1][1].strip() or "-")
                self.title = Found(plain(text), number)
                i += 2 if underline else 1
                continue
            taken = 1 if not text else self.meta_line(number, text)
            if not taken and RULE_LINE.match(text):
                self.removed.add(number)  # a clipper's separator between its header and the text
                taken = 1
            if not taken and self.summary is None and text[:1] in "*_>":
                taken = self.lede(rows, i)
            if not taken and heading is not None and i < heading:
                self.removed.add(number)  # page furniture above the title
                taken = 1
            if not taken and self.title is None and heading is None and _title_like(text):
                self.title, taken = Found(plain(text), number), 1
            if not taken:
                return rows[i:]
            i += taken
        return []

    def meta_line(self, number: int, text: str) -> int:
        """1 when the line is metadata or furniture (recorded), else 0."""
        if chrome(text):
            self.removed.add(number)
        elif found := dateline(text):  # before bylines: 'By X | Site | Nov. 12, 2016' is both
            self.datelines.append((found, number))
            if found.names:
                self._authors(found.names, number)
        elif names := byline(text):
            self._authors(names, number)
        elif self.take_url(number, text) or self.take_label(number, text):
            pass
        elif (credit := origin(text)) is not None and self.origin is None:
            self.origin = Located(credit, number)
        else:
            return 0
        return 1

    def _authors(self, names: tuple[str, ...], number: int) -> None:
        if not self.authors:
            self.authors, self.authors_line = names, number

    def take_url(self, number: int, text: str) -> bool:
        if self.url_next and URL.fullmatch(text):
            self.url_next = False
            if self.page_url is None:
                self.page_url = Found(text, number)
            return True
        found = page_url(text)
        if found is None:
            return False
        if found and self.page_url is None:
            self.page_url = Found(found, number)
        self.url_next = not found
        return True

    def take_label(self, number: int, text: str) -> bool:
        found = label(text)
        if found is None or found[0].lower() not in self.accepted or not found[1]:
            return False
        self.labels.append((found[0], found[1], number))
        return True

    def lede(self, rows: list[Row], i: int) -> int:
        """An italic paragraph, or MarkDownload's '> ## Excerpt' quote: the summary."""
        end = next((j for j in range(i, len(rows)) if not rows[j][1].strip()), len(rows))
        lines = [line for _, line in rows[i:end]]
        if re.match(r"^>\s*(?:#+\s*)?(?:excerpt|summary|abstract)\s*$", lines[0], re.I):
            text: str | None = " ".join(" ".join(ln.lstrip("> ").split()) for ln in lines[1:]).strip() or None
        else:
            text = italic_block("\n".join(lines))
        if text is None:
            return 0
        self.summary = Found(text, rows[i][0])
        return end - i

    # -- the tail, bottom up

    def tail_kind(self, line: str) -> str | None:
        """What a line below the story is: 'strong' marks the end of an article,
        'weak' (a bare link list) only counts below a strong one; None is story."""
        text = line.strip()
        if not text or RULE_LINE.match(text):
            return "weak"
        if (origin(text) or copyright_line(text) or articles_by(text) or page_url(text) is not None
                or chrome(text) or (label(text) or ("", ""))[0].lower() in self.accepted):
            return "strong"
        if link_only(text) or URL.fullmatch(text):
            return "weak"
        return None

    def read_tail(self, blocks: list[list[Row]]) -> None:
        for block in blocks:
            text = "\n".join(line for _, line in block)
            if disclaimer_like(text) and not any(origin(ln) or copyright_line(ln) for _, ln in block):
                self.disclaimers.append(Found(_strip_label(text), block[0][0]))
                continue
            for number, line in block:
                self.tail_line(number, line.strip())

    def tail_line(self, number: int, text: str) -> None:
        if not text:
            return
        if (credit := origin(text)) is not None:
            if self.origin is None:
                self.origin = Located(credit, number)
        elif found := copyright_line(text):
            self.copyrights.append(Found(found, number))
        elif names := articles_by(text):
            self.credits = self.credits or names
        elif self.take_url(number, text) or self.take_label(number, text):
            pass
        else:
            self.removed.add(number)

    # -- the body

    def clean_body(self, blocks: list[list[Row]]) -> list[list[Row]]:
        """The story's paragraphs without furniture lines ('Advertisement', 'Read more: …')."""
        kept = []
        for block in blocks:
            if len(block) == 1 and chrome(block[0][1]):
                self.removed.add(block[0][0])
            else:
                kept.append(block)
        return kept


RULE_LINE = re.compile(r"^(?:-{3,}|\*{3,}|_{3,})$")


def _first_heading(rows: list[Row]) -> int | None:
    """Index of the title: the first '# ' heading or '===' underlined line near the top."""
    for i, (_, line) in enumerate(rows[:60]):
        if re.match(r"^#\s+\S", line):
            return i
        if i + 1 < len(rows) and line.strip() and re.fullmatch(r"=+", rows[i + 1][1].strip()):
            return i
    return None


def _title_like(text: str) -> bool:
    words = plain(text).split()
    return 0 < len(words) <= 25 and not text.rstrip().endswith((".", ":", ";")) and not link_only(text)


def _strip_label(text: str) -> str:
    return re.sub(r"^\s*(?:\*\*|__)?\s*(?:[\w ]{0,30}\s)?(?:disclaimer|notice|note)\s*:\s*(?:\*\*|__)?\s*", "",
                  text, flags=re.I)


def _blocks(rows: list[Row]) -> list[list[Row]]:
    blocks: list[list[Row]] = []
    current: list[Row] = []
    for row in rows:
        if row[1].strip():
            current.append(row)
        elif current:
            blocks.append(current)
            current = []
    return blocks + ([current] if current else [])


def _split_tail(rows: list[Row], kind: Any) -> tuple[list[list[Row]], list[list[Row]]]:
    """(story blocks, tail blocks): the tail is the run of credit, legal and furniture
    lines at the end; a block of story with such lines run on is cut between them."""
    blocks = _blocks(rows)
    tail: list[list[Row]] = []
    strong = False
    while blocks:
        block = blocks[-1]
        kinds = [kind(line) for _, line in block]
        text = "\n".join(line for _, line in block)
        notice = disclaimer_like(text, strict=not (tail or strong))
        if None not in kinds or notice:
            strong = strong or "strong" in kinds or notice
            tail.insert(0, blocks.pop())
            continue
        last_story = max(i for i, k in enumerate(kinds) if k is None)
        if last_story < len(block) - 1 and "strong" in kinds[last_story + 1:]:
            blocks[-1] = block[:last_story + 1]
            tail.insert(0, block[last_story + 1:])
            strong = True
        break
    return (blocks, tail) if strong else (blocks + tail, [])


def _paragraphs(blocks: list[list[Row]], markdown: bool) -> list[str]:
    """Markdown blocks as written; plain text with one paragraph per line gets blank lines."""
    out = []
    for block in blocks:
        lines = [line.rstrip() for _, line in block]
        if not markdown and len(lines) > 1 and all(re.search(r"[.!?\"”’')]$", ln) for ln in lines[:-1]):
            out.extend(lines)
        else:
            out.append("\n".join(lines))
    return out


def _tidy(body: str) -> str:
    """Dead '#' links become their text; the clipping site's own furniture is gone."""
    body = re.sub(r"(?<!!)\[([^\]]+)\]\(\s*#?\s*\)", r"\1", body)
    return body.strip("\n") + "\n" if body.strip() else ""
