"""A clipped article → what it says about itself, each finding with its line.

    clipper front matter   title, page URL, authors, published, description
                           (digest/editor/clip/front.py)
    header (top down)      page furniture, # Title, byline and the job title
                           under it, dateline, labels, photo captions, italic
                           lede or excerpt: read until the first line of story
    tail (bottom up)       credit to the original, copyright, disclaimers,
                           desk credits, comment/share/subscribe links, contact
                           lines: read until the last line of story
    body                   what is left, cleaned by digest/editor/clip/body.py (captions,
                           furniture, images as links, placeholder links)

The parser knows the shapes web clippers and copy-paste produce, not the
site: `digest/editor/clip/resolve.py` decides what the findings mean for an article.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from digest.editor.clip import body as clipbody
from digest.editor.clip.front import Found, Meta, Row, read
from digest.editor.clip.lang import REGION_LABELS, TAG_LABELS
from digest.editor.clip.lines import (
    URL,
    Dateline,
    Outlet,
    agency,
    caption,
    chrome,
    copyright_line,
    dateline,
    disclaimer_like,
    italic_block,
    label,
    origin,
    page_url,
    plain,
    rule,
    title_like,
)
from digest.editor.clip.names import articles_by, byline, desk_credit, role
from digest.editor.clip.text import link_only
from digest.site.identity import variant_key

__all__ = ["LABELS", "Clipping", "Found", "Located", "parse"]

# Labels that name taxonomies on news sites, in every language read; the importer adds the site's own.
LABELS = frozenset(w for table in (TAG_LABELS, REGION_LABELS) for words in table.values() for w in words)
EXCERPT = re.compile(r"^>\s*(?:#+\s*)?(?:excerpt|summary|abstract|auszug|extrait|resumen|аннотация)\s*$", re.I)
EMPTY_HEADING = re.compile(r"^#{1,6}\s*$")
SETEXT = re.compile(r"=+")


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
    outlets: tuple[Found, ...] = ()  # outlets named as authors: 'By X, Reuters', 'MOSCOW (AP) —'
    summary: Found | None = None
    labels: tuple[tuple[str, tuple[str, ...], int], ...] = ()  # (label as written, values, line)
    origin: Located | None = None
    page_url: Found | None = None
    copyrights: tuple[Found, ...] = ()
    disclaimers: tuple[Found, ...] = ()  # paragraphs as written
    credits: tuple[str, ...] = ()  # 'Articles by: X', 'Reporting by X'
    body: str = ""
    body_line: int = 1
    lede: str | None = None  # the first paragraph of text, when the body starts with an image
    images: tuple[int, ...] = ()  # lines of images kept as links to the original
    removed: tuple[int, ...] = ()  # lines dropped as page furniture
    meta: Meta = field(default_factory=Meta)  # a clipper's own front matter


def parse(text: str, markdown: bool = True, labels: frozenset[str] = LABELS) -> Clipping:
    """Read a clipping (already decoded, LF line ends)."""
    rows = list(enumerate(text.split("\n"), 1))
    meta, rows = read(rows)
    state = _State(labels | LABELS, meta)
    story, tail = _split_tail(state.header(rows), state.tail_kind)
    state.read_tail(tail)
    page = state.page_url.value if state.page_url else (found.value if (found := meta.url()) else None)
    body = clipbody.clean(story, page)
    blocks = list(body.blocks)
    summary = state.summary or meta.text("description", "summary", "excerpt")
    if blocks and summary and _same_text(blocks[0], summary.value):
        state.removed.update(n for n, _ in blocks.pop(0))  # the excerpt, repeated as the first paragraph
    paragraphs = _paragraphs(blocks, markdown)
    if blocks and (name := agency(blocks[0][0][1])):
        state.outlets.append(Found(name, blocks[0][0][0]))
    return Clipping(
        title=state.title, datelines=tuple(state.datelines), authors=state.authors,
        authors_line=state.authors_line, outlets=tuple(state.outlets), summary=state.summary,
        labels=tuple(state.labels), origin=state.origin, page_url=state.page_url,
        copyrights=tuple(state.copyrights), disclaimers=tuple(state.disclaimers),
        credits=state.credits or body.reporters, body=_tidy("\n\n".join(paragraphs)),
        body_line=blocks[0][0][0] if blocks else 1,
        lede=clipbody.first_text(tuple(blocks)) if clipbody.starts_with_image(tuple(blocks)) else None,
        images=body.images, removed=tuple(sorted(state.removed | body.removed)), meta=meta)


def _same_text(block: tuple[Row, ...], text: str) -> bool:
    return variant_key(" ".join(plain(line) for _, line in block)) == variant_key(text)


class _State:
    """Findings collected while reading one clipping."""

    def __init__(self, labels: frozenset[str], meta: Meta) -> None:
        self.accepted = labels
        self.title: Found | None = meta.text("title")
        self.datelines: list[tuple[Dateline, int]] = []
        self.authors: tuple[str, ...] = ()
        self.authors_line: int | None = None
        self.outlets: list[Found] = []
        self.summary: Found | None = None
        self.labels: list[tuple[str, tuple[str, ...], int]] = []
        self.origin: Located | None = None
        self.page_url: Found | None = None
        self.copyrights: list[Found] = []
        self.disclaimers: list[Found] = []
        self.credits: tuple[str, ...] = ()
        self.removed: set[int] = set()
        self.url_next = False  # 'Url of this article:' with the address on the next line
        self.after_byline = False  # the line under a byline may be the writer's job title

    # -- the header, top down

    def header(self, rows: list[Row]) -> list[Row]:
        """Read the lines above the story; returns the rest."""
        heading = _first_heading(rows)
        if self.title and heading is not None:  # the clipper's title, repeated as a heading: drop it
            if variant_key(plain(rows[heading][1])) in variant_key(self.title.value):
                end = heading + (2 if _underlined(rows, heading) else 1)
                self.removed.update(n for n, _ in rows[heading:end])
                rows = rows[:heading] + rows[end:]
            heading = None
        i = 0
        while i < len(rows):
            number, line = rows[i]
            text = line.strip()
            if heading is not None and i == heading:
                self.title = Found(plain(text), number)
                i += 2 if _underlined(rows, i) else 1
                continue
            taken = 1 if not text else self.meta_line(number, text)
            if not taken and (rule(text) or EMPTY_HEADING.match(text)):
                self.removed.add(number)  # a clipper's separator, or MarkDownload's '# ' of a page without title
                taken = 1
            if not taken and self.summary is None and text[:1] in "*_>":
                taken = self.lede(rows, i)
            if not taken and heading is not None and i < heading:
                self.removed.add(number)  # page furniture above the title
                taken = 1
            if not taken and self.title is None and heading is None and title_like(text):
                self.title, taken = Found(plain(text), number), 1
            if not taken:
                return rows[i:]
            i += taken
        return []

    def meta_line(self, number: int, text: str) -> int:
        """1 when the line is metadata or furniture (recorded), else 0."""
        after_byline, self.after_byline = self.after_byline, False
        if chrome(text):
            self.removed.add(number)
        elif found := dateline(text):  # before bylines: 'By X | Site | Nov. 12, 2016' is both
            self.datelines.append((found, number))
            if found.names:
                self._authors(found.names, number)
        elif found_byline := byline(text):
            self._authors(found_byline.names, number)
            self.outlets += [Found(o, number) for o in found_byline.outlets]
            self.after_byline = True
        elif after_byline and role(plain(text)):
            self.removed.add(number)  # 'Political editor'
        elif self.take_url(number, text) or self.take_label(number, text):
            pass
        elif (credit := origin(text)) is not None and self.origin is None:
            self.origin = Located(credit, number)
        elif caption(text):
            self.removed.add(number)  # 'Image source, Getty Images' above the story
        else:
            return 0
        return 1

    def _authors(self, names: tuple[str, ...], number: int) -> None:
        if not self.authors and names:
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
        if EXCERPT.match(lines[0].strip()):
            text: str | None = " ".join(" ".join(ln.strip().lstrip(">").split()) for ln in lines[1:]).strip() or None
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
        if not text or rule(text):
            return "weak"
        if (origin(text) or copyright_line(text) or articles_by(text) or page_url(text) is not None
                or desk_credit(text) is not None or chrome(text)
                or (label(text) or ("", ""))[0].lower() in self.accepted):
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
        elif (reporters := desk_credit(text)) is not None:
            self.credits = self.credits or reporters
            self.removed.add(number)
        elif self.take_url(number, text) or self.take_label(number, text):
            pass
        else:
            self.removed.add(number)


def _underlined(rows: list[Row], i: int) -> bool:
    return i + 1 < len(rows) and SETEXT.fullmatch(rows[i + 1][1].strip() or "-") is not None


def _first_heading(rows: list[Row]) -> int | None:
    """Index of the title: the first '# ' heading or '===' underlined line near the top."""
    for i, (_, line) in enumerate(rows[:60]):
        if re.match(r"^#\s+\S", line):
            return i
        if line.strip() and _underlined(rows, i):
            return i
    return None


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


def _paragraphs(blocks: list[tuple[Row, ...]], markdown: bool) -> list[str]:
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
    return body.strip("\n") + "\n" if body.strip() else ""
