"""What one line of a clipped article is: a byline, a dateline, a label, the
original-publisher credit, a copyright line, or a news site's boilerplate.

Each recogniser takes one stripped line and returns what it found, or None.
They know how web clippers and copy-paste save articles; they know nothing
of the site being imported into.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

MONTHS = {m: i for i, names in enumerate([
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
    ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
    ("october", "oct"), ("november", "nov"), ("december", "dec")], 1) for m in names}
MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|mon|tue|wed|thu|fri|sat|sun)\.?,?\s+"
TIME = r"(?:,?\s*(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s+[A-Z]{2,5})?)?"
DATE_FORMS = [
    re.compile(r"^(?P<iso>\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?)$"),
    re.compile(rf"^(?:{WEEKDAY})?{MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}}){TIME}$", re.I),
    re.compile(rf"^(?:{WEEKDAY})?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{MONTH},?\s+(?P<year>\d{{4}}){TIME}$", re.I),
]
DATE_LABEL = re.compile(r"^(?:(?:first |originally )?published(?: on)?|posted(?: on)?|date|dated|"
                        r"updated(?: on)?|last updated|created)\s*:?\s*", re.I)
READ_TIME = re.compile(r"^\d+\s*(?:min(?:ute)?s?\.?)(?:\s+read)?$", re.I)
SEGMENTS = re.compile(r"\s+(?:\||·|•|—|–)\s+")

LINK = re.compile(r"!?\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
URL = re.compile(r"https?://[^\s<>()\[\]]+[^\s<>()\[\].,;:!?'\"]")
EMPHASIS = re.compile(r"^(\*\*|__|\*|_)(.+)\1$")

BYLINE = re.compile(r"^(?:by|written by|words by|reporting by|posted by|authors?\s*:)\s+(?P<names>.+)$", re.I)
NAME_PARTICLES = frozenset({"al", "al-", "bin", "ibn", "da", "de", "del", "della", "der", "di", "do", "dos",
                            "du", "el", "la", "le", "van", "von", "y", "zu", "of", "and"})
NAME_SPLIT = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)\s*", re.I)

ORIGIN = re.compile(
    r"^(?:the original source of this (?:article|story|piece|report) is"
    r"|(?:this (?:article|story|piece|report|column|op-ed|interview) (?:was )?|it was )?"
    r"(?:originally|first) (?:published|posted|appeared|ran)(?: (?:by|at|on|in))?"
    r"|this (?:article|story|piece|report|column|op-ed|interview) (?:first |originally )?appeared (?:on|in|at)"
    r"|(?:original )?source\s*:"
    r"|republished (?:with permission )?(?:from|by)"
    r"|read the original(?: article| story)? (?:at|on|in)"
    r")\s*:?\s*(?P<outlet>.+)$", re.I)
COPYRIGHT = re.compile(r"^(?:copyright\b|©|\(c\)\s)", re.I)
ARTICLES_BY = re.compile(r"^(?:articles?|more|stories) by\s*:?\s*(?P<names>.+)$", re.I)
PAGE_URL = re.compile(r"^(?:url of this article|article url|url|link|permalink|source url|original url|"
                      r"clipped from|saved from|read online|web address)\s*:\s*(?P<url>\S*)$", re.I)
LABEL = re.compile(r"^(?P<label>[A-Za-z][A-Za-z ]{1,23}?)\s*:\s*(?P<values>\S.*)$")
RULE = re.compile(r"^(?:-{3,}|\*{3,}|_{3,}|(?:\* ?){3,}|(?:- ?){3,})$")

# Whole lines a news page adds around an article: never part of the story.
CHROME = re.compile(
    r"^(?:advertisement|advert|sponsored(?: content)?|continue reading(?: below)?|story continues below"
    r"|skip to (?:main )?content|menu|search|sign in|log in|subscribe|home"
    r"|(?:read more|related|see also|recommended|more on this|you may also like|most read|"
    r"related articles|related stories|more from [\w .]+)\s*:?(?:\s.*)?"
    r"|share(?: this)?(?: article| story)?(?: on \w+)?\s*:?|tweet|facebook|twitter|whatsapp|telegram|linkedin"
    r"|reddit|e-?mail|print|copy link|listen(?: to this article)?.*|\d+\s*min(?:ute)?s? read"
    r"|(?:subscribe|sign up) (?:to|for) .*|follow us.*|like us on .*|join (?:us|our) .*"
    r"|comment on .*|leave a comment|\d+ comments?|become a (?:member|patron|subscriber|supporter).*"
    r"|support (?:us|our (?:work|journalism)).*|donate.*|(?:for )?media inquiries.*|contact(?: us)?\s*:.*"
    r"|(?:press|editorial) contact.*|write to us.*|email us.*|tags?\s*:?)$", re.I)
CHROME_WORDS = re.compile(r"^(?:share|tweet|facebook|twitter|whatsapp|telegram|linkedin|reddit|e-?mail|print"
                          r"|copy link|comment|comments|subscribe|donate|home|latest|menu|search|sign in"
                          r"|share on \w+|pin|flipboard|save|more)$", re.I)
DISCLAIMER_WORDS = re.compile(
    r"\b(?:disclaimer|fair use|copyrighted material|copyright owner|sole responsibility|views expressed"
    r"|(?:does|do) not necessarily reflect|not responsible for|syndicat\w+|reproduc\w+|republica\w+"
    r"|republish\w*|without (?:the )?(?:written )?permission|all rights reserved|terms of use)\b", re.I)


@dataclass(frozen=True)
class Outlet:
    """A publication as the clipping names it: either part may be missing."""

    name: str | None
    url: str | None


def plain(line: str) -> str:
    """A line without Markdown links, emphasis or heading marks: what a reader sees."""
    text = LINK.sub(lambda m: m.group(1), line).strip()
    text = re.sub(r"^#{1,6}\s+", "", text)
    while (match := EMPHASIS.match(text)) is not None:
        text = match.group(2).strip()
    return re.sub(r"\*\*|__", "", text).strip()


def links(line: str) -> list[tuple[str, str]]:
    """(text, url) of each Markdown link of a line."""
    return [(m.group(1).strip(), m.group(2)) for m in LINK.finditer(line)]


def link_only(line: str) -> bool:
    """A line of nothing but links (navigation, share buttons, related stories)."""
    rest = LINK.sub("", re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "", line))
    return bool(LINK.search(line)) and not re.sub(r"[\s|·•,;/\-–—]+", "", rest)


def chrome(line: str) -> bool:
    """A line of page furniture: share and subscribe prompts, 'Advertisement', navigation."""
    text = plain(line)
    if link_only(line) and all(t and CHROME_WORDS.match(plain(t)) for t, _ in links(line)):
        return True
    if not text or len(text) > 120:
        return False
    return bool(CHROME.match(text)) or all(CHROME_WORDS.match(p) for p in re.split(r"\s*[|·•]\s*", text) if p)


def parse_date(text: str) -> str | None:
    """'November 9, 2016', '9 Nov. 2016', '2016-11-09T14:30:00+03:00' → ISO text; None otherwise."""
    text = " ".join(text.strip().rstrip(".").split())
    for form in DATE_FORMS:
        match = form.match(text)
        if match is None:
            continue
        if match.groupdict().get("iso"):
            iso = match.group("iso").replace(" ", "T", 1)
            return iso if _valid(iso[:10]) else None
        month = MONTHS[match.group("month").lower()]
        iso = f"{int(match.group('year')):04d}-{month:02d}-{int(match.group('day')):02d}"
        return iso if _valid(iso) else None
    return None


def _valid(iso: str) -> bool:
    try:
        date.fromisoformat(iso)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class Dateline:
    date: str
    site: str | None = None
    site_url: str | None = None
    names: tuple[str, ...] = ()  # a byline sharing the line: 'By X | Site | Nov 12, 2016'


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
        elif READ_TIME.match(segment) or not segment:
            continue
        elif (byline_names := byline(raw)) is not None and not names:
            names = byline_names
        elif site is None and len(segment) <= 60 and not segment.endswith("."):
            site, site_url = segment, next((u for _, u in links(raw)), None)
        else:
            return None
    if found is None:
        return None
    return Dateline(found, site, site_url, names)


def _dated(segment: str) -> tuple[str, str | None] | None:
    """(date, site prefix) of 'Site, November 9, 2016' / 'Published: 2016-11-09' / a bare date."""
    words = DATE_LABEL.sub("", segment).split()
    for start in range(min(len(words), 8)):  # the date is at the end; the prefix is a name
        when = parse_date(" ".join(words[start:]))
        if when:
            prefix = " ".join(words[:start]).strip(" ,-–—")
            if prefix.isupper() and len(prefix) > 3:
                prefix = ""  # 'MOSCOW, Nov. 9, 2016': a city, not an outlet
            set_off = words[start - 1].endswith(",") and len(words[:start]) <= 5 if start else False
            if prefix and not (set_off or is_name(prefix) or re.fullmatch(r"[\w.-]+\.[a-z]{2,}", prefix)):
                return None  # 'The vote was held on November 9, 2016' is a sentence
            return when, prefix or None
    return None


def byline(line: str) -> tuple[str, ...] | None:
    """Names of 'By X and Y', 'By [X](#)', 'Author: X'; None when the line is no byline."""
    text = plain(line)
    match = BYLINE.match(text)
    if match is None or len(text) > 160:
        return None
    names = SEGMENTS.split(match.group("names"))[0]
    found = tuple(n.strip(" .") for n in NAME_SPLIT.split(names) if n.strip(" ."))
    return found if found and all(is_name(n) for n in found) else None


def is_name(text: str) -> bool:
    """'Liis Tamm', 'Oumar Sissoko', 'RT News', 'Ludwig van Beethoven'; not 'the way'."""
    words = text.split()
    return 0 < len(words) <= 6 and words[0][:1].isupper() and all(
        w[:1].isupper() or w.lower() in NAME_PARTICLES for w in words)


def origin(line: str) -> Outlet | None:
    """The original publisher of 'The original source of this article is X' and its kin."""
    text = line.strip()
    match = ORIGIN.match(plain(text))
    if match is None:
        return None
    linked = links(text)
    if re.match(r"^(?:original )?source\s*:", plain(text), re.I) and not (linked or URL.search(text)):
        return None  # 'Source: IMF' under a chart credits data, not the article
    if linked:
        name, url = linked[-1] if not plain(linked[0][0]) else linked[0]
        name = plain(name)
        return Outlet(None if URL.fullmatch(name or "") else name or None, url if URL.match(url) else None)
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
    return Outlet(name or None if len(name) <= 80 else None, url)


def copyright_line(line: str) -> str | None:
    text = plain(line)
    return text if COPYRIGHT.match(text) and len(text) <= 200 else None


def articles_by(line: str) -> tuple[str, ...] | None:
    match = ARTICLES_BY.match(plain(line))
    if match is None:
        return None
    return tuple(n.strip(" .") for n in NAME_SPLIT.split(match.group("names")) if n.strip(" ."))


def page_url(line: str) -> str | None:
    """The clipped page's own address: 'Url of this article: https://…' ('' when on the next line)."""
    text = plain(line) if not URL.fullmatch(line.strip()) else line.strip()
    match = PAGE_URL.match(text)
    if match is None:
        return None
    url = match.group("url").strip("<>")
    return url if not url or URL.fullmatch(url) else None


def label(line: str) -> tuple[str, tuple[str, ...]] | None:
    """'Region: A, B' / 'Tags: #a #b' → ('Region', ('A', 'B'))."""
    match = LABEL.match(plain(line))
    if match is None:
        return None
    raw = match.group("values")
    parts = re.split(r"\s*[,;|]\s*|\s+·\s+", raw) if re.search(r"[,;|·]", raw) else (
        raw.split() if raw.startswith("#") else [raw])
    values = tuple(p.strip().lstrip("#").strip() for p in parts if p.strip().lstrip("#").strip())
    return match.group("label").strip(), values


def italic_block(text: str) -> str | None:
    """The text of a paragraph set wholly in italics (a lede), else None."""
    stripped = text.strip()
    match = re.fullmatch(r"(\*|_)(?!\1)(.+?)(?<!\1)\1", stripped, re.S)
    if match is None or "\n\n" in stripped:
        return None
    inner = " ".join(match.group(2).split())
    return inner if len(inner.split()) >= 6 else None


def disclaimer_like(text: str, strict: bool = False) -> bool:
    """A paragraph that reads like a legal notice rather than reporting; strict asks
    for a 'Disclaimer:' label or two legal phrases (for the very last paragraph)."""
    words = plain(text).split()
    found = {m.group(0).lower() for m in DISCLAIMER_WORDS.finditer(" ".join(words))}
    if len(words) < 10 or not found:
        return False
    return not strict or len(found) >= 2 or bool(re.match(r"^\W*[\w ]{0,30}(?:disclaimer|notice)\s*:", text, re.I))
