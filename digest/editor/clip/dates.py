"""A date as a clipping writes it → ISO text, in the languages of `clip.lang`.

'November 9, 2016', '9. November 2016, 14:30 Uhr', '9 ноября 2016',
'9 de noviembre de 2016', '2016-11-09T14:30:00+03:00'. Month and weekday
names are dateparser's (a maintained library), not ours; this module only
decides what is worth showing it:

- only short text with a four-digit year: the callers hand over dateline and
  metadata segments, never sentences of the story;
- day, month and year must all be written ('November 2016' is no date);
- relative dates ('2 hours ago') and Unix timestamps are not dates here;
- numbers only: dotted dates are day first (09.11.2016); a slashed date is
  read only when it cannot be misread (31/10/2016, 10/31/2016), since
  11/09/2016 is November 9 in New York and September 11 in London.

dateparser is imported on first use: it costs a tenth of a second, and most
commands never need it.
"""
from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache
from typing import Any

from digest.editor.clip.lang import LANGUAGES

ISO = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$")
YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
DOTTED = re.compile(r"^\d{1,2}\.\d{1,2}\.\d{4}\b")
SLASHED = re.compile(r"^(?P<a>\d{1,2})/(?P<b>\d{1,2})/\d{4}\b")
TIME = re.compile(r"(?<![\d.])\d{1,2}(?:[:h]\d{2}|\.\d{2}(?!\.\d))|\d\s*[ap]\.?m\b", re.I)
MAX_WORDS = 12  # 'Wednesday 9 November 2016 11.40 GMT (updated 14.20 GMT)' is about the longest
SETTINGS = {"PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["day", "month", "year"],
            "PREFER_DATES_FROM": "past", "PARSERS": ["custom-formats", "absolute-time"]}


def parse_date(text: str) -> str | None:
    """ISO text ('2016-11-09', or with the time when one is written) of a date; None otherwise."""
    text = " ".join(text.split()).strip(" .,;|")  # split() takes no-break spaces too
    if ISO.match(text):
        return iso_text(text)
    if not candidate(text):
        return None
    order = date_order(text)
    if order == "":
        return None  # 11/09/2016: which is the month?
    found = _parse(text, order)
    if found is None:
        return None
    return found.isoformat() if TIME.search(text) else found.date().isoformat()


def iso_text(text: str) -> str | None:
    """An ISO date or datetime as written (a space becomes 'T'), if it is a real one."""
    iso = text.replace(" ", "T")  # ISO has one space at most
    try:
        datetime.fromisoformat(iso)
    except ValueError:
        return None
    return iso


def candidate(text: str) -> bool:
    """Short, with a year: text worth asking dateparser about."""
    return bool(YEAR.search(text)) and len(text.split()) <= MAX_WORDS


def date_order(text: str) -> str | None:
    """'DMY' or 'MDY' for an all-number date, '' when it is ambiguous, None to let dateparser decide."""
    if DOTTED.match(text):
        return "DMY"
    match = SLASHED.match(text)
    if match is None:
        return None
    first, second = int(match.group("a")), int(match.group("b"))
    if first > 12 >= second:
        return "DMY"
    if second > 12 >= first:
        return "MDY"
    return "DMY" if first == second else ""


def _parse(text: str, order: str | None) -> datetime | None:
    found: datetime | None = _parser(order).get_date_data(text).date_obj
    return found


@lru_cache(maxsize=4)
def _parser(order: str | None) -> Any:
    import dateparser.date  # slow to import: only when a clipping has a date to read

    settings = dict(SETTINGS, **({"DATE_ORDER": order} if order else {}))
    return dateparser.date.DateDataParser(languages=list(LANGUAGES), settings=settings)

