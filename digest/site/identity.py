"""When two URLs, titles or terms name the same thing, spelled differently.

Editors copy links with tracking parameters, with or without `www.` and a
trailing slash, and type `US-Russia` one day and `US–Russia` (en dash) the
next. These keys make such spellings compare equal; they are for finding
duplicates and variants, never for URLs.
"""
from __future__ import annotations

import re
import unicodedata
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from digest.site.slugs import slugify
from digest.site.weburl import WebURLError, web_url

# Query parameters that say how a reader arrived, not what they read.
TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|ref|ref_src|cmpid|ocid|igshid)$")
NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def _serialized(url: str) -> str:
    """The URL as pages publish it (digest/site/weburl.py), so `a b` and `a%20b`, `Bücher.example`
    and `xn--bcher-kva.example` compare equal; as written when it is no web URL."""
    try:
        return web_url(url)
    except WebURLError:
        return url.strip()


def url_key(url: str) -> str:
    """A URL's identity: scheme, `www.`, case of the host, trailing slash, fragment,
    tracking parameters and an `/amp` suffix do not count."""
    parts = urlsplit(_serialized(url))
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("amp.")
    path = unquote(parts.path).rstrip("/")
    path = re.sub(r"/amp$", "", path) or "/"
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                   if not TRACKING.match(k.lower()))
    return f"{host}{path}" + (f"?{urlencode(query)}" if query else "")


def host_key(url: str) -> str:
    """The host of a URL without `www.`, lowercased and in its own script ('bücher.example',
    however it was written; '' when there is none)."""
    host = (urlsplit(_serialized(url)).hostname or "").lower()
    try:
        host = host.encode("ascii").decode("idna")
    except UnicodeError:
        pass
    return host.removeprefix("www.")


def variant_key(text: str) -> str:
    """Letters and digits only, transliterated: `US–Russia`, `US-Russia` and
    `U.S./Russia` all give 'usrussia'."""
    key = NOT_ALNUM.sub("", slugify(text))
    return key or unicodedata.normalize("NFKC", text).casefold()


def title_key(title: str) -> str:
    """A title's identity for duplicate detection (quotes, dashes and case ignored)."""
    return variant_key(title)


def is_web_url(url: str) -> bool:
    """An absolute http(s) link fit for `source.url` and `via.url` (digest/site/weburl.py's rules)."""
    try:
        web_url(url)
    except WebURLError:
        return False
    return True
