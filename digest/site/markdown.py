"""Markdown → safe HTML: CommonMark + tables, footnotes, strikethrough.

Raw HTML is escaped unless the site allows it, and then nh3 sanitizes it.
Links are checked against a scheme allowlist after undoing every disguise
(entities, percent-encoding, whitespace), so no `javascript:` or `data:`
URL is ever emitted. Every link is a valid URL: web addresses are serialized
as browsers do (digest/site/weburl.py), and one that cannot be (`https://x:99999/`)
stays text, as an unsafe link does.
"""
from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.normalize_url import normalizeLink as markdown_it_link
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.anchors.index import slugify as github_slug
from mdit_py_plugins.footnote import footnote_plugin

from digest.site.weburl import WebURLError, web_url

SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel", "ftp"})
SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
WEB_LINK = re.compile(r"https?:", re.IGNORECASE)
LINK_ATTRIBUTES = frozenset({"href", "src", "cite"})
INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u00ad\u200b-\u200f\u2028\u2029\ufeff]+")
# Characters XML 1.0 forbids (C0 controls but tab and newline, lone surrogates, U+FFFE/U+FFFF):
# one of them in a body would make every Atom feed holding the article unreadable.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# The only NOT_XML characters ASCII text can hold, as bytes for a C-speed check.
ASCII_NOT_XML = bytes(c for c in range(0x20) if NOT_XML.match(chr(c)))
SUMMARY_LIMIT = 300
# Element ids of the default theme's pages and of the preview overlay; body headings avoid them.
THEME_IDS = frozenset({"main", "attribution-heading", "related-heading", "browse-heading",
                       "search-query", "digest-error-overlay"})


@dataclass(frozen=True, slots=True)
class Rendered:
    html: str
    first_paragraph: str  # plain text, for the default summary


def is_safe_url(url: str) -> bool:
    """True when a link or image URL cannot run script: relative, or an allowed scheme."""
    decoded = url
    for _ in range(3):  # undo nested percent-encoding (%256A…)
        decoded = urllib.parse.unquote(decoded)
    cleaned = INVISIBLE.sub("", decoded).lower()
    match = SCHEME.match(cleaned)
    return match is None or match.group(1) in SAFE_SCHEMES


def normalize_link(url: str) -> str:
    """A link's destination as a valid URL: a web address serialized (digest/site/weburl.py),
    anything else as markdown-it encodes it, with a second '#' encoded too."""
    if WEB_LINK.match(url):
        return _web_link(url) or url
    before, sign, fragment = markdown_it_link(url).partition("#")
    return before + sign + fragment.replace("#", "%23")


def is_valid_link(url: str) -> bool:
    """True for a normalized link fit to publish: safe, and a valid address if a web one."""
    return is_safe_url(url) and (not WEB_LINK.match(url) or _web_link(url) is not None)


@lru_cache(maxsize=4096)
def _web_link(url: str) -> str | None:
    try:
        return web_url(url)
    except WebURLError:
        return None


def heading_id(title: str) -> str:
    """GitHub-style heading id that never takes one the theme's page already uses (`## Main`)."""
    slug = github_slug(title)
    return f"{slug}-section" if slug in THEME_IDS else slug


@lru_cache(maxsize=2)
def parser(allow_html: bool) -> MarkdownIt:
    """One configured parser per process (building one costs more than a short article)."""
    md = MarkdownIt("commonmark", {"html": allow_html, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin)
    md.use(anchors_plugin, min_level=2, max_level=4, slug_func=heading_id)
    md.validateLink = is_valid_link  # type: ignore[method-assign]
    md.normalizeLink = normalize_link  # type: ignore[method-assign]
    return md


def render(text: str, allow_html: bool = False) -> Rendered:
    """Render an article body; the first paragraph in plain text comes along for summaries."""
    md = parser(allow_html)
    tokens = md.parse(xml_safe(text))
    html = md.renderer.render(tokens, md.options, {})
    if allow_html:
        html = sanitize(html)
    return Rendered(html=html, first_paragraph=_first_paragraph(tokens))


def xml_safe(text: str) -> str:
    """`text` with each character XML forbids replaced by U+FFFD."""
    # Most bodies are ASCII: deleting the forbidden C0 controls from the bytes (C speed) and
    # finding the length unchanged proves there is nothing to replace, without the regex scan.
    if text.isascii() and len(text.encode("ascii").translate(None, ASCII_NOT_XML)) == len(text):
        return text
    return NOT_XML.sub("\ufffd", text)


def sanitize(html: str) -> str:
    """Clean raw HTML an editor was allowed to write: no script, no unsafe URLs."""
    attributes = {tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()}
    attributes["*"] = {"id", "class", "title", "lang"}
    return nh3.clean(html, attributes=attributes, url_schemes=set(SAFE_SCHEMES),
                     link_rel="noopener noreferrer", attribute_filter=_html_link)


def _html_link(tag: str, attribute: str, value: str) -> str | None:
    """A link of raw HTML normalized as Markdown's are; dropped when it cannot be valid."""
    if attribute not in LINK_ATTRIBUTES:
        return value
    url = normalize_link(value.strip())
    return url if is_valid_link(url) else None


def plain_text(tokens: list[Token]) -> str:
    """The reader-visible text of inline tokens."""
    out: list[str] = []
    for token in tokens:
        if token.type in ("text", "code_inline"):
            out.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif token.children:
            out.append(plain_text(token.children))
    return " ".join("".join(out).split())


def shorten(text: str, limit: int = SUMMARY_LIMIT) -> str:
    """Cut at a word boundary with an ellipsis when over the limit."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:.") + "…"


def _first_paragraph(tokens: list[Token]) -> str:
    for i, token in enumerate(tokens):
        if token.type == "paragraph_open" and token.level == 0 and i + 1 < len(tokens):
            text = plain_text(tokens[i + 1].children or [])
            if text:
                return shorten(text)
    return ""
