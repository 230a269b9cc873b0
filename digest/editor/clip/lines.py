"""What one line of a clipped article is: a byline, a dateline, a label, the
original-publisher credit, a copyright line, a photo caption or credit, or a
news site's boilerplate.

Each recogniser takes one stripped line and returns what it found, or None.
They know how web clippers and copy-paste save articles, in the languages
of `digest/editor/clip/lang.py`; they know nothing of the site being imported into.
Names and bylines are `digest/editor/clip/names.py`'s, dates `digest/editor/clip/dates.py`'s.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from digest.editor.clip.dates import parse_date as _parse_date
from digest.editor.clip.lang import ALTERNATION as ALT
from digest.editor.clip.names import byline as read_byline
from digest.editor.clip.names import is_name
from digest.editor.clip.outlets import known_outlet
from digest.editor.clip.text import SEGMENTS, URL, link_only, links, plain

__all__ = ["URL", "Dateline", "Outlet", "agency", "byline", "caption", "chrome", "copyright_holder",
           "copyright_line", "dateline", "disclaimer_like", "is_name", "italic_block", "label", "link_only",
           "links", "origin", "outlet", "page_url", "parse_date", "plain", "rule", "title_like"]

DATE_LABEL = re.compile(rf"^{ALT['date_label']}(?=[\s:]|$)\s*:?\s*", re.I)
READ_TIME = re.compile(rf"^{ALT['read_time']}$", re.I)
ORIGIN = re.compile(rf"^(?:{ALT['origin']}|(?P<label>{ALT['source_label']})\s*:)\s*:?\s*(?P<outlet>.+)$", re.I)
COPYRIGHT = re.compile(r"^(?:copyright\b|©|\(c\)\s)", re.I)
WIRE_FOOTER = re.compile(rf"\s*{ALT['wire_footer']}", re.I)
HOLDER_NOISE = re.compile(rf"\s*(?:{ALT['copyright']}|©|\(c\)|\b(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)?\d\d)?\b)\s*",
                          re.I)
PAGE_URL = re.compile(r"^(?:url of this article|article url|url|link|permalink|source url|original url|"
                      r"clipped from|saved from|read online|web address)\s*:\s*(?P<url>\S*)$", re.I)
LABEL = re.compile(r"^(?P<label>[^\W\d_][\w'’ -]{1,23}?)\s*:\s*(?P<values>\S.*)$")
AGENCY = re.compile(r"^[A-ZÀ-ÖØ-ÞА-ЯЁ]{2}[A-ZÀ-ÖØ-ÞА-ЯЁ.'’/ -]*(?:,\s*[^()\n]{1,40}?)?\s*[(/]"
                    r"(?P<agency>[^()/\n]{2,40})[)/]\.?\s*[-–—.]")
# A photo caption or credit: 'Photo: X/Reuters', 'Image caption, …', '(AP Photo/X)', '… Photograph: X/AP'.
PHOTO_LINE = re.compile(rf"^\(?{ALT['photo_label']}\s*:", re.I)
BBC_CAPTION = re.compile(r"^(?:image|media|video)\s+(?:source|caption|copyright)\b", re.I)
AGENCIES = r"(?:getty images|shutterstock|alamy|reuters|ap photo|afp|ap|epa|dpa|efe|tass|тасс|sputnik|xinhua|anadolu|pa)"
CREDIT_ONLY = re.compile(rf"^\(?(?:[\w.'’ -]{{1,40}}/)*{AGENCIES}(?: via getty images)?(?:/[\w.'’ -]{{1,40}})*\)?\.?$",
                         re.I)
CREDIT_TAIL = re.compile(rf"(?:(?:^|[.!?”\"]\s+)(?:photograph|photo|picture|foto|фото|bild)s?\s*:\s*[^\W\d_][^.]{{1,80}}"
                         rf"|\(?\b{AGENCIES}(?:/[^/\n]{{2,60}})+)\.?\)?$", re.I)
MAX_CAPTION_WORDS = 60

# Whole lines a news page adds around an article: never part of the story.
CHROME = re.compile(
    r"^(?:advertisement|advert|anzeige|publicité|publicidad|реклама|sponsored(?: content)?"
    r"|continue reading(?: below)?|story continues below"
    r"|skip to (?:main )?content|menu|search|sign in|log in|subscribe|home"
    r"|(?:read more|related|see also|recommended|more on this|you may also like|most read|"
    r"related articles|related stories|more from [\w .]+|lesen sie auch|mehr zum thema|lire aussi|à lire aussi"
    r"|lee también|leer más|читайте также)\s*:?(?:\s.*)?"
    r"|share(?: this)?(?: article| story)?(?: on \w+)?\s*:?|tweet|facebook|twitter|whatsapp|telegram|linkedin"
    r"|reddit|e-?mail|print|copy link|listen(?: to this article)?.*"
    r"|(?:subscribe|sign up) (?:to|for) .*|follow us.*|like us on .*|join (?:us|our) .*"
    r"|comment on .*|leave a comment|\d+ comments?|become a (?:member|patron|subscriber|supporter).*"
    r"|support (?:us|our (?:work|journalism)).*|donate.*|(?:for )?media inquiries.*|contact(?: us)?\s*:.*"
    rf"|(?:press|editorial) contact.*|write to us.*|email us.*|tags?\s*:?|{ALT['read_time']}|{ALT['wire_footer']})$",
    re.I)
CHROME_WORDS = re.compile(r"^(?:share|tweet|facebook|twitter|whatsapp|telegram|linkedin|reddit|e-?mail|print"
                          r"|copy link|comment|comments|subscribe|donate|home|latest|menu|search|sign in"
                          r"|share on \w+|pin|flipboard|save|more)$", re.I)
DISCLAIMER_WORDS = re.compile(
    r"\b(?:disclaimer|fair use|copyrighted material|copyright owner|sole responsibility|views expressed"
    r"|(?:does|do) not necessarily reflect|not responsible for|syndicat\w+|reproduc\w+|republica\w+"
    r"|republish\w*|without (?:the )?(?:written )?permission|all rights reserved|terms of use)\b", re.I)
DISCLAIMER_LABEL = re.compile(r"^\W*[\w ]{0,30}(?:disclaimer|notice)\s*:", re.I)
ITALIC = re.compile(r"(\*|_)(?!\1)(.+?)(?<!\1)\1", re.S)
SENTENCE_END = (".", ":", ";")
SET_OFF_WORDS = 5  # 'Global Press Review, November 09, 2016': a name set off by a comma
MIN_LEDE_WORDS = 6
MAX_CHROME = 120  # characters: longer lines are story, whatever words they start with
RULE = re.compile(r"^(?:-{3,}|\*{3,}|_{3,})$")
CLOCK = re.compile(r"^\d{1,2}[:.h]\d{2}\s*(?:[ap]\.?m\.?)?(?:\s+[A-Z]{2,5})?$", re.I)  # '4:14pm EST' after a date


@dataclass(frozen=True)
class Outlet:
    """A publication as the clipping names it: either part may be missing."""

    name: str | None
    url: str | None


@dataclass(frozen=True)
class Dateline:
    date: str
    site: str | None = None
    site_url: str | None = None
    names: tuple[str, ...] = ()  # a byline sharing the line: 'By X | Site | Nov 12, 2016'


def byline(line: str) -> tuple[str, ...] | None:
    """The people of a byline: 'By Jamie McGeever, Reuters' → ('Jamie McGeever',); () for 'By Reuters';
    None when the line is no byline."""
    found = read_byline(line)
    return found.names if found else None


def parse_date(text: str) -> str | None:
    """'November 9, 2016', '9. November 2016', '9 ноября 2016', '2016-11-09T14:30:00+03:00' → ISO text."""
    return _parse_date(text)


def chrome(line: str) -> bool:
    """A line of page furniture: share and subscribe prompts, 'Advertisement', navigation, wire footers."""
    text = plain(line)
    if link_only(line) and all(t and CHROME_WORDS.match(plain(t)) for t, _ in links(line)):
        return True
    if not text or len(text) > MAX_CHROME:
        return False
    return bool(CHROME.match(text)) or all(CHROME_WORDS.match(p) for p in re.split(r"\s*[|·•]\s*", text) if p)


def dateline(line: str) -> Dateline | None:
    """'Site Name, November 09, 2016', 'Published 2016-11-09 | 4 min read', '[Site](url) 9 Nov 2016'."""
    found: str | None = None
    site: str | None = None
    site_url: str | None = None
    names: tuple[str, ...] = ()
    for raw in SEGMENTS.split(line.strip()):
        segment = plain(raw)
        when = _dated(segment)
        if when is not None and found is None:
            found, prefix = when
            if prefix:
                site, site_url = prefix, next((u for t, u in links(raw) if plain(t) == prefix), None)
        elif READ_TIME.match(segment) or CLOCK.match(segment) or not segment:
            continue
        elif (people := byline(raw)) is not None and not names:
            names = people
        elif site is None and len(segment) <= 60 and not segment.endswith("."):
            site, site_url = segment, next((u for _, u in links(raw)), None)
        else:
            return None
    return Dateline(found, site, site_url, names) if found else None


def _dated(segment: str) -> tuple[str, str | None] | None:
    """(date, site prefix) of 'Site, November 9, 2016' / 'Published: 2016-11-09' / a bare date."""
    words = DATE_LABEL.sub("", segment).split()
    for start in range(min(len(words), 8)):  # the date is at the end; the prefix is a name
        when = _parse_date(" ".join(words[start:]))
        if when is None:
            continue
        prefix = " ".join(words[:start]).strip(" ,-–—")
        if prefix.isupper() and len(prefix) > 3:
            return when, None  # 'MOSCOW, Nov. 9, 2016': a city, not an outlet
        set_off = start > 0 and words[start - 1].endswith(",") and start <= SET_OFF_WORDS
        if prefix and not (set_off or is_name(prefix) or re.fullmatch(r"[\w.-]+\.[a-z]{2,}", prefix)):
            return None  # 'The vote was held on November 9, 2016' is a sentence
        return when, prefix or None
    return None


def agency(paragraph: str) -> str | None:
    """The news agency of a story's dateline: 'MOSCOW (AP) —' → 'AP', 'LONDON (Reuters) -' → 'Reuters'."""
    match = AGENCY.match(plain(paragraph))
    if match is None:
        return None
    name = match.group("agency").strip()
    return name if known_outlet(name) or is_name(name) else None


def origin(line: str) -> Outlet | None:
    """The original publisher of 'The original source of this article is X', 'Quelle: [X](url)' and kin."""
    text = line.strip()
    match = ORIGIN.match(plain(text))
    if match is None:
        return None
    linked = links(text)
    credited = match.group("outlet").strip(" .")
    if match.group("label") and not (linked or URL.search(text) or known_outlet(credited)):
        return None  # 'Source: IMF' under a chart credits data, not the article
    if linked:
        name, url = linked[-1] if not plain(linked[0][0]) else linked[0]
        name = plain(name)
        return Outlet(None if URL.fullmatch(name) else name or None, url)
    return outlet(match.group("outlet"))


def outlet(text: str) -> Outlet | None:
    """'Name', 'Name: https://…', 'Name (https://…)', 'https://…' → Outlet."""
    text = text.strip().rstrip(".")
    url_match = URL.search(text)
    url = url_match.group(0) if url_match else None
    name = URL.sub("", text) if url else text
    name = re.sub(r"[(<>)]|\s+(?:at|on)\s*$", "", name).strip(" :,-–—")
    name = re.sub(r"\s+(?:on|in)\s+\w+\.? \d{1,2},? \d{4}$", "", name)
    if not name and not url:
        return None
    return Outlet(name if name and len(name) <= 80 else None, url)


def copyright_line(line: str) -> str | None:
    """'Copyright © X, 2016', '© 2016 X. All rights reserved.' as written (without a wire service's
    'This material may not be published…'); None for other lines."""
    text = plain(line)
    if COPYRIGHT.match(text) is None or len(text) > 200:
        return None
    return WIRE_FOOTER.sub("", text).strip()


def copyright_holder(line: str) -> str | None:
    """Who a copyright line names: 'Copyright 2016 The Associated Press. All rights reserved.' →
    'The Associated Press'; the last of several ('© Camila Rojas, Andes Wire, 2016' → 'Andes Wire')."""
    text = copyright_line(line)
    if text is None:
        return None
    first = re.split(r"(?<=[^\W\d_]{2})\.\s|\.$", HOLDER_NOISE.sub(" ", text), maxsplit=1)[0]
    parts = [p.strip(" .,") for p in first.split(",") if p.strip(" .,")]
    words = parts[-1].split() if parts else []
    return parts[-1] if 0 < len(words) <= 6 and words[0][:1].isupper() else None


def page_url(line: str) -> str | None:
    """The clipped page's own address: 'Url of this article: https://…' ('' when on the next line)."""
    text = plain(line) if not URL.fullmatch(line.strip()) else line.strip()
    match = PAGE_URL.match(text)
    if match is None:
        return None
    url = match.group("url").strip("<>")
    return url if not url or URL.fullmatch(url) else None


def label(line: str) -> tuple[str, tuple[str, ...]] | None:
    """'Region: A, B' / 'Tags: #a #b' / 'Schlagwörter: A' → ('Region', ('A', 'B'))."""
    match = LABEL.match(plain(line))
    if match is None:
        return None
    raw = match.group("values")
    parts = re.split(r"\s*[,;|]\s*|\s+·\s+", raw) if re.search(r"[,;|·]", raw) else (
        raw.split() if raw.startswith("#") else [raw])
    values = tuple(p.strip().lstrip("#").strip() for p in parts if p.strip().lstrip("#").strip())
    return match.group("label").strip(), values


def caption(line: str) -> bool:
    """A photo caption or credit: 'Photo: X/Reuters', 'FILE PHOTO: …', 'Image source, Getty Images',
    '(AP Photo/X)', 'Getty Images', '… on Wednesday. Photograph: X/AP', 'Фото: X'."""
    text = plain(line)
    if not text or len(text.split()) > MAX_CAPTION_WORDS:
        return False
    return bool(PHOTO_LINE.match(text) or BBC_CAPTION.match(text) or CREDIT_ONLY.match(text)
                or CREDIT_TAIL.search(text))


def italic_block(text: str) -> str | None:
    """The text of a paragraph set wholly in italics (a lede), else None."""
    stripped = text.strip()
    match = ITALIC.fullmatch(stripped)
    if match is None or "\n\n" in stripped:
        return None
    inner = " ".join(match.group(2).split())
    return inner if len(inner.split()) >= MIN_LEDE_WORDS else None


def disclaimer_like(text: str, strict: bool = False) -> bool:
    """A paragraph that reads like a legal notice rather than reporting; strict asks
    for a 'Disclaimer:' label or two legal phrases (for the very last paragraph)."""
    words = plain(text).split()
    found = {m.group(0).lower() for m in DISCLAIMER_WORDS.finditer(" ".join(words))}
    if len(words) < 10 or not found:
        return False
    return not strict or len(found) >= 2 or DISCLAIMER_LABEL.match(text) is not None


def title_like(text: str) -> bool:
    """A line that can be a title: up to 25 words, not ending like a sentence, not a row of links."""
    words = plain(text).split()
    return 0 < len(words) <= 25 and not text.rstrip().endswith(SENTENCE_END) and not link_only(text)


def rule(text: str) -> bool:
    """A horizontal rule: '---', '***', '___'."""
    return RULE.match(text) is not None

