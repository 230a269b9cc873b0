"""Faster drop-in parts for our own markdown-it-py instance; the HTML stays byte-identical.

Nothing here patches the library: `speed_up(md)` replaces rules and helpers on
one `MarkdownIt` object. Each replacement says why it returns exactly what the
stock code returns; tests/test_markdown_fast.py checks it against a stock parser.
"""
from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.common.normalize_url import normalizeLink
from markdown_it.rules_core import normalize as stock_normalize
from markdown_it.rules_core.normalize import NEWLINES_RE
from markdown_it.rules_core.state_core import StateCore

# URLs that mdurl's parse → punycode → format → encode hands back unchanged: only characters
# `mdurl.encode` keeps (letters, digits, `;/?:@&=+$,-_.!~*'()#`, and `%` before two hex
# digits), and either relative (no `:` at all, not `//host`) or `http(s)://` with a plain
# ASCII host whose labels mdurl accepts as they are ([A-Za-z0-9-], 1..63 long). For these,
# parse splits the string into parts that format concatenates back in the same order,
# punycode leaves ASCII labels alone, and encode maps every character to itself.
_KEPT = r"(?:[A-Za-z0-9;/?:@&=+$,\-_.!~*'()#]|%[0-9A-Fa-f]{2})"
_RELATIVE_URL = re.compile(r"(?!//)(?:[A-Za-z0-9;/?@&=+$,\-_.!~*'()#]|%[0-9A-Fa-f]{2})*")
_WEB_URL = re.compile(r"https?://([A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*)(?:[/?#]" + _KEPT + r"*)?")


def normalize_link(url: str) -> str:
    """`normalizeLink` with a shortcut for URLs it is known to return unchanged."""
    if _RELATIVE_URL.fullmatch(url):
        return url
    web = _WEB_URL.fullmatch(url)
    if web and len(web.group(1)) <= 255:  # mdurl drops longer host names
        return url
    return normalizeLink(url)


def normalize(state: StateCore) -> None:
    """The `normalize` core rule without two regex passes over text that has no `\\r` or NUL.

    Stock rewrites `\\r\\n?|\\n` to `\\n` (a no-op without `\\r`) and NUL to U+FFFD."""
    src = state.src
    if "\r" in src:
        src = NEWLINES_RE.sub("\n", src)
    if "\0" in src:
        src = src.replace("\0", "\ufffd")
    state.src = src


def speed_up(md: MarkdownIt) -> MarkdownIt:
    """Install the fast parts into `md` (configured as digest.markdown.parser does)."""
    if md.core.ruler.getRules("")[0] is stock_normalize:
        md.core.ruler.at("normalize", normalize)
    md.normalizeLink = normalize_link  # type: ignore[method-assign]
    return md
