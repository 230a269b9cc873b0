"""Slugs and term identity: how names become safe, distinct URL segments."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

from slugify import slugify as _slugify

# Symbols that carry meaning in news terms: 'C++' and 'C' must not share a page.
SYMBOL_WORDS = [
    ("++", " plus plus "),
    ("+", " plus "),
    ("#", " sharp "),
    ("&", " and "),
    ("@", " at "),
    ("%", " percent "),
]
MAX_SLUG = 80
SAFE_SEGMENT = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def term_key(text: str) -> str:
    """The identity of a term or outlet name: case-, width- and whitespace-insensitive."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _slugify_text(text: str) -> str:
    """A readable ASCII URL segment for any text; never empty, never a path.

    Non-Latin scripts are transliterated ('Дипломатия' → 'diplomatiia');
    text with no letters at all (emoji) gets a stable hash-based slug.
    """
    spelled = unicodedata.normalize("NFKC", text)
    for symbol, words in SYMBOL_WORDS:
        spelled = spelled.replace(symbol, words)
    slug = _slugify(spelled, max_length=MAX_SLUG, word_boundary=True, save_order=True)
    if not slug:
        slug = "t-" + hashlib.sha1(term_key(text).encode()).hexdigest()[:10]
    return slug


def _term_slug(name: str) -> str:
    """The URL segment of a term or outlet as written ('U.S.  Elections' → 'u-s-elections')."""
    return slugify(term_key(name))


# Cached by wrapping rather than by decorating: mutmut (scripts/mutation) leaves decorated
# functions unmutated, and these two are most of what this module does.
slugify = lru_cache(maxsize=1 << 16)(_slugify_text)
term_slug = lru_cache(maxsize=1 << 16)(_term_slug)  # every page that lists an article asks again


def is_safe_segment(slug: str) -> bool:
    """True for a slug usable as one path segment as written."""
    return bool(SAFE_SEGMENT.fullmatch(slug)) and len(slug) <= 200  # match() would let 'a\n' through ($)
