"""The rules hosts read, written by every build into the output root.

- `_redirects` (Netlify, Cloudflare Pages): `FROM TO STATUS` a line. Moved URLs answer
  `301!` to the new URL; a taken-down article `410!` with its notice, a URL listed
  as `gone` in the registry `410!` with the 404 page. The `!` forces the rule: a file is
  left at every such URL (the redirect page, the notice), and Netlify applies an
  unforced rule only where no file exists ("shadowing").
- `_headers` (same hosts): fingerprinted static files (`/static/…`, linked with `?v=<hash>`)
  cached for a year, immutable; pages and feeds for five minutes. The patterns never overlap
  (hosts join the values of every rule that matches): one per top-level folder or file.
- `nginx.conf`, an include for a `server` block whose `root` is the output: the same
  redirects as `location = … { return 301 …; }`, removed URLs `return 410` with the notice as
  body (`error_page 410`), and the same cache headers.

All three are pages (kind "host-rules") whose args hold every rule, so an incremental
build rewrites them exactly when a rule changes.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from digest.site.config import Config
from digest.site.model import Page, SiteIndex
from digest.site.pagetype import PageType

KIND = "host-rules"
REDIRECTS, HEADERS, NGINX = "/_redirects", "/_headers", "/nginx.conf"
STATIC_CACHE = "public, max-age=31536000, immutable"
PAGE_CACHE = "public, max-age=300"
STATIC_PREFIX = "static"
UNCACHED = {"media", "pagefind"}  # pictures and search bundles keep the host's default

Rule = tuple[str, str, int]  # from, to, status


def rules(index: SiteIndex) -> tuple[Rule, ...]:
    """Every redirect and removal of the site, sorted by the URL they answer for."""
    found: list[Rule] = [(old, new, 301) for old, new in index.moved.items()]
    found += [(a.url, a.url, 410) for a in index.removed]
    found += [(url, "/404.html", 410) for url in index.gone]
    return tuple(sorted(found))


def pages(index: SiteIndex, config: Config, before: Sequence[Page]) -> Iterator[Page]:
    base = urlsplit(config.base_url).path or "/"
    planned = tuple((base + old.lstrip("/"), base + new.lstrip("/"), status) for old, new, status in rules(index))
    tops = sorted({_top(page.url) for page in before} - {_top(f"/{STATIC_PREFIX}/")} - {f"/{u}/*" for u in UNCACHED})
    yield Page(REDIRECTS, "_redirects", KIND, (planned,))
    yield Page(HEADERS, "_headers", KIND, (base, tuple(base + t.lstrip("/") for t in tops)))
    yield Page(NGINX, "nginx.conf", KIND, (planned, base))


def _top(url: str) -> str:
    """The header pattern that covers a page: its top-level folder, or itself at the root."""
    first, slash, _ = url.lstrip("/").partition("/")
    return f"/{first}/*" if slash else f"/{first}"


def view(page: Page, views: Any) -> dict[str, Any]:
    if page.url == REDIRECTS:
        (planned,) = page.args
        return {"rules": [{"from": f, "to": t, "status": f"{s}!"} for f, t, s in planned]}
    if page.url == HEADERS:
        base, tops = page.args
        return {"static": f"{base}{STATIC_PREFIX}/*", "static_cache": STATIC_CACHE,
                "pages": list(tops), "page_cache": PAGE_CACHE}
    planned, base = page.args
    return {"static": f"{base}{STATIC_PREFIX}/", "static_cache": STATIC_CACHE, "page_cache": PAGE_CACHE,
            "moved": [{"from": f, "to": t} for f, t, s in planned if s == 301],
            "removed": [{"from": f, "body": _body(f, t)} for f, t, s in planned if s == 410]}


def _body(old: str, to: str) -> str:
    """The file served with a 410: the notice at the URL itself, or the 404 page."""
    return old + "index.html" if to == old else to


PAGE_TYPE = PageType("host rules", lambda index, config, now, before: pages(index, config, before),
                     MappingProxyType({KIND: view}))
