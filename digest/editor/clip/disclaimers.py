"""Which of the site's [disclaimers] a clipped notice says, by similarity of wording.

News sites word their fair-use and opinion notices in their own way; what
stays the same is the vocabulary ('copyrighted material', 'fair use',
'views expressed … do not necessarily reflect'). Notices are compared as
bags of content words and word pairs (cosine similarity), which separates
'the same notice, reworded' (about 0.5 and up) from 'another notice'
(below 0.2) with room to spare.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from digest.editor.clip.lines import plain
from digest.site.slugs import slugify

THRESHOLD = 0.35
STOPWORDS = frozenset("""a an the of to and or in on for by with as at is are was were be been being this that
these those it its we our us you your their they them he she his her from not no has have had such which
whose who whom any all other than if so use used uses may can will would must should do does did into
per via also only""".split())


@dataclass(frozen=True)
class Match:
    key: str
    score: float  # 0..1


def words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9]+", plain(text).lower()) if w not in STOPWORDS]


def _vector(text: str) -> Counter[str]:
    found = words(text)
    return Counter(found) + Counter(f"{a} {b}" for a, b in zip(found, found[1:]))


def similarity(a: str, b: str) -> float:
    """Cosine similarity of content words and word pairs, 0..1."""
    va, vb = _vector(a), _vector(b)
    dot = sum(count * vb[w] for w, count in va.items())
    norm = math.sqrt(sum(c * c for c in va.values()) * sum(c * c for c in vb.values()))
    return dot / norm if norm else 0.0


def best_match(notice: str, disclaimers: Mapping[str, str]) -> Match | None:
    """The configured disclaimer the notice most resembles, if any is close enough."""
    scored = sorted(((similarity(notice, text), key) for key, text in disclaimers.items()), reverse=True)
    if not scored or scored[0][0] < THRESHOLD:
        return None
    return Match(scored[0][1], scored[0][0])


def suggested_key(notice: str, outlet: str | None, taken: Mapping[str, str]) -> str:
    """A key for a new [disclaimers] entry: what kind of notice it is, and whose."""
    lowered = notice.lower()
    kind = ("fair-use" if "fair use" in lowered else "opinion" if "views" in lowered
            else "syndication" if "syndicat" in lowered else "notice")
    base = f"{slugify(outlet)}-{kind}" if outlet else kind
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


def toml_entry(key: str, notice: str) -> str:
    """The `site.toml` lines that would define the notice as a disclaimer."""
    text = notice.strip().replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    return f'[disclaimers]\n{key} = """\n{text}\n"""'
