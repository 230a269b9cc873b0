"""Links inside article bodies that point into the site, and whether they land.

A link is internal when it is site-relative (`/2016/11/09/slug/`,
`/tags/x/`), relative to the article (`../10/other/`) or absolute on the
site's own host. It lands when the build would produce that page or static
file. Each link keeps its line in the file, so a broken one is reported
where the editor can fix it.
"""
from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import unquote, urljoin, urlsplit

from markdown_it.token import Token

from digest.site.identity import host_key
from digest.site.markdown import parser


@dataclass(frozen=True, slots=True)
class BodyLink:
    line: int  # in the file
    href: str
    image: bool = False


def body_links(body: str, first_line: int, allow_html: bool = False) -> list[BodyLink]:
    """Every link and image of a Markdown body, with its file line."""
    links: list[BodyLink] = []
    for block in parser(allow_html).parse(body):
        if block.type == "inline" and block.children:
            start = first_line + (block.map[0] if block.map else 0)
            links.extend(_inline_links(block.children, start))
    return links


def _inline_links(children: list[Token], line: int) -> Iterator[BodyLink]:
    for token in children:
        if token.type in ("softbreak", "hardbreak"):
            line += 1
        elif token.type == "link_open":
            yield BodyLink(line, str(token.attrs.get("href", "")))
        elif token.type == "image":
            yield BodyLink(line, str(token.attrs.get("src", "")), image=True)
        elif token.type in ("text", "code_inline"):
            line += token.content.count("\n")


def site_path(href: str, page_url: str, base_url: str) -> str | None:
    """The site-relative path an internal link points to; None for external links,
    mail links and same-page anchors."""
    href = href.strip()
    if not href or href.startswith("#"):
        return None
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        if parts.scheme not in ("http", "https", "") or host_key(href) != host_key(base_url):
            return None
        path = parts.path or "/"
    else:
        path = urljoin(page_url, parts.path) if parts.path else page_url
    base_path = urlsplit(base_url).path or "/"
    if base_path != "/" and path.startswith(base_path):
        path = "/" + path[len(base_path):]
    return unquote(path)


class Targets:
    """Every URL the build makes, indexed for 'did you mean' hints on big sites."""

    def __init__(self, urls: frozenset[str]) -> None:
        self.urls = urls
        self.by_segment: dict[str, str] = {}
        self.by_folder: dict[str, dict[str, str]] = {}
        for url in sorted(urls):
            folder, _, segment = url.rstrip("/").rpartition("/")
            self.by_segment.setdefault(segment, url)
            self.by_folder.setdefault(folder, {})[segment] = url

    def __contains__(self, path: object) -> bool:
        return path in self.urls

    def lands(self, path: str) -> bool:
        """True when the build makes the page or file the path names."""
        return path in self.urls or (path.endswith("/index.html") and path[: -len("index.html")] in self.urls)

    def nearest(self, path: str) -> str | None:
        """The target most likely meant: the same page under another date or folder,
        else a close spelling in the same folder."""
        folder, _, segment = path.rstrip("/").rpartition("/")
        if not segment:
            return None
        if segment in self.by_segment:
            return self.by_segment[segment]
        siblings = self.by_folder.get(folder, {})
        close = difflib.get_close_matches(segment, sorted(siblings), n=1, cutoff=0.75)
        return siblings[close[0]] if close else None
