"""Who wrote a clipped article: bylines, names and their case, job titles, desk credits.

'By Jamie McGeever, Reuters' is one person and an outlet; 'By VLADIMIR
ISACHENKOV' is a name in capitals; 'Political editor' under a byline is a
job title; 'Reporting by X; Editing by Y' is the wire desk's credit line.
Each function takes one line and knows nothing of the site.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from digest.editor.clip.lang import ALTERNATION
from digest.editor.clip.outlets import known_outlet
from digest.editor.clip.text import SEGMENTS, plain

BYLINE = re.compile(rf"^(?:{ALTERNATION['byline_word']}\s+|{ALTERNATION['byline_label']}\s*:\s*)(?P<names>\S.*)$",
                    re.I)
AND = ALTERNATION["and"]
NAME_SPLIT = re.compile(rf"\s*,\s*(?:{AND}\s+)?|\s+{AND}\s+|\s*&\s*|\s*;\s*", re.I)
FOR = re.compile(rf"^(?P<names>.+?)\s+{ALTERNATION['for']}\s+(?P<outlet>\S.*)$", re.I)
IN_PARENS = re.compile(r"^(?P<names>.+?)\s*\((?P<outlet>[^()]+)\)$")
ROLE = re.compile(rf"(?:^|\s){ALTERNATION['role']}(?:$|\s)", re.I)
DESK = re.compile(rf"^\(?{ALTERNATION['desk_credit']}\b\s*:?\s*", re.I)
ARTICLES_BY = re.compile(r"^(?:articles?|more|stories) by\s*:?\s*(?P<names>.+)$", re.I)
PARTICLES = frozenset({"al", "al-", "bin", "ibn", "da", "das", "de", "del", "della", "der", "des", "di", "do",
                       "dos", "du", "el", "la", "las", "le", "los", "van", "von", "y", "zu", "ten", "ter",
                       "of", "and"})
NAME_PART = re.compile(r"([-'’])")
INITIAL = re.compile(r"(?:^|\s)[^\W\d_]\.(?:\s|$)")  # 'A. Writer' is a person whose name is a job
ROMAN = frozenset({"II", "III", "IV", "VI", "VII", "VIII"})
MAX_BYLINE = 160  # characters; a longer line is a sentence that starts with 'By'


@dataclass(frozen=True)
class Byline:
    names: tuple[str, ...]  # people
    outlets: tuple[str, ...] = ()  # 'Reuters' of 'By X, Reuters', 'The Guardian' of 'By X for The Guardian'


def byline(line: str) -> Byline | None:
    """The people and outlets of 'By X and Y', 'By [X](#), Reuters', 'Von X', 'Автор: X'; None for no byline."""
    text = plain(line)
    match = BYLINE.match(text)
    if match is None or len(text) > MAX_BYLINE:
        return None
    first, *others = SEGMENTS.split(match.group("names"))
    names, outlets = split_names(first)
    outlets += tuple(o for o in (s.strip(" .") for s in others) if is_name(o) and not role(o))
    if not (names or outlets) or not all(is_name(n) for n in names + outlets if not known_outlet(n)):
        return None
    if not names and not all(known_outlet(o) or o.isupper() for o in outlets):
        return None  # 'By Wednesday': a day, not a wire service
    return Byline(tuple(usual_case(n) for n in names), outlets)


def split_names(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(people, outlets) of 'X, Y and Z', 'X for Outlet', 'X (Outlet)'; job titles dropped."""
    outlets: tuple[str, ...] = ()
    for pattern in (FOR, IN_PARENS):
        match = pattern.match(text)
        if match is not None:
            text, outlets = match.group("names"), (match.group("outlet").strip(" ."),)
    names: tuple[str, ...] = ()
    for part in (p.strip(" .") for p in NAME_SPLIT.split(text)):
        if known_outlet(part) or (part and " " not in part and not role(part)):
            outlets += (part,)
        elif part and not role(part):
            names += (part,)
    return names, outlets


def is_name(text: str) -> bool:
    """'Liis Tamm', 'RT News', 'Ludwig van Beethoven', 'Иван Петров'; not 'the way'."""
    words = text.split()
    return 0 < len(words) <= 6 and words[0][:1].isupper() and all(
        w[:1].isupper() or w.lower() in PARTICLES for w in words)


def role(text: str) -> bool:
    """A job title: 'Political editor', 'Moscow correspondent', 'Redakteurin'; not 'A. Writer'."""
    words = text.split()
    return 0 < len(words) <= 5 and not text.endswith(".") and bool(ROLE.search(text)) and not INITIAL.search(text)


def usual_case(name: str) -> str:
    """'VLADIMIR ISACHENKOV' → 'Vladimir Isachenkov', 'JAMIE MCGEEVER' → 'Jamie McGeever',
    'JUAN DE LA CRUZ' → 'Juan de la Cruz'; a name not all in capitals is left as written."""
    if name != name.upper() or sum(c.isalpha() for c in name) < 4:
        return name
    words = name.split()
    return " ".join(_word_case(word, first=i == 0) for i, word in enumerate(words))


def _word_case(word: str, first: bool) -> str:
    if word in ROMAN or re.fullmatch(r"\w\.", word):
        return word  # 'III', an initial 'J.'
    if word.lower() in PARTICLES and not first:
        return word.lower()
    return "".join(_part_case(part) for part in NAME_PART.split(word))


def _part_case(part: str) -> str:
    if part.startswith("MC") and len(part) > 3:
        return "Mc" + part[2:].capitalize()
    return part.capitalize()


def desk_credit(line: str) -> tuple[str, ...] | None:
    """The reporters of a wire desk's 'Reporting by X; Editing by Y' line ((), when it names
    only editors); None when the line is no such credit."""
    text = plain(line).strip("()")
    if DESK.match(text) is None:
        return None
    parts = [p.strip() for p in re.split(r"\s*;\s*", text)]
    found = [_credited(p) for p in parts if p.lower().startswith(("reporting by", "additional reporting by"))]
    return tuple(n for names in found for n in names)


def _credited(part: str) -> tuple[str, ...]:
    names = DESK.sub("", part)
    return tuple(n for n in (p.strip(" .") for p in NAME_SPLIT.split(names)) if is_name(n))


def articles_by(line: str) -> tuple[str, ...] | None:
    """The names of a clipping site's 'Articles by: X' credit."""
    match = ARTICLES_BY.match(plain(line))
    if match is None:
        return None
    return tuple(n.strip(" .") for n in NAME_SPLIT.split(match.group("names")) if n.strip(" ."))
