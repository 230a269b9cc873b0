"""One line of a clipping as a reader sees it: its text without Markdown, its links, their addresses.

Web clippers save a link they cannot resolve as `[Name](#)` (or `()`,
`javascript:void(0)`, `about:blank`): that is a name, not an address.
`web_href` is the one test of whether a link's target is a web address
worth keeping; relative ones become absolute against the clipped page.
"""
from __future__ import annotations

import re

import ada_url

LINK = re.compile(r"!?\[([^\[\]]{0,2000})\]\(\s*<?((?:[^()\s<>]|\([^()\s]{0,200}\)){0,2000})>?(?:\s+\"[^\"]*\")?\s*\)")
URL = re.compile(r"https?://[^\s<>()\[\]]+[^\s<>()\[\].,;:!?'\"]")
EMPHASIS = re.compile(r"^(\*\*|__|\*|_)((?:(?!\1).)+)\1$")  # '*one* and *two*' is not one emphasis
HEADING = re.compile(r"^#{1,6}\s+")
SEGMENTS = re.compile(r"\s+(?:\||·|•|—|–)\s+")  # 'By X | Site | Nov 12, 2016'
LIST_MARK = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
SEPARATORS = re.compile(r"[\s|·•,;/\-–—]+")
WEB_SCHEMES = ("http:", "https:")


def plain(line: str) -> str:
    """A line without Markdown links, emphasis or heading marks: what a reader sees."""
    text = LINK.sub(lambda m: m.group(1), line).strip()
    text = HEADING.sub("", text)
    while (match := EMPHASIS.match(text)) is not None:
        text = match.group(2).strip()
    return text.replace("**", "").replace("__", "").strip()


def links(line: str) -> list[tuple[str, str | None]]:
    """(text, web address) of each Markdown link of a line; None for a placeholder target."""
    return [(m.group(1).strip(), web_href(m.group(2))) for m in LINK.finditer(line)]


def link_only(line: str) -> bool:
    """A line of nothing but links (navigation, share buttons, related stories)."""
    rest = LINK.sub("", LIST_MARK.sub("", line))
    return LINK.search(line) is not None and SEPARATORS.sub("", rest) == ""


def web_href(href: str, base: str | None = None) -> str | None:
    """An absolute http(s) address, or None for '#', '#top', '', 'javascript:void(0)',
    'about:blank', 'mailto:…'; a relative one ('/news/1') is resolved against `base`."""
    href = href.strip().strip("<>")
    if not href or href.startswith("#"):
        return None
    if base is not None and not ada_url.check_url(href):
        try:
            href = ada_url.join_url(base, href)
        except ValueError:
            return None
    if not ada_url.check_url(href):
        return None
    parts = ada_url.parse_url(href, ("protocol", "hostname"))
    return href if parts["protocol"] in WEB_SCHEMES and parts["hostname"] else None
