"""Articles → search shards: spans of the calendar, each small enough to index again quickly.

Pagefind has no incremental mode: a bundle is made from all of its pages at once,
at about 2 ms and 300 KB a page. So the index is split into shards of at most CAP
article pages, one Pagefind bundle each (digest/search/index.py), merged again in the
browser (digest/search/shards.js), and a build indexes again only the shards whose records
changed.

A shard is an aligned span of the calendar: the largest one holding at most CAP
articles, found by halving, from 16 years (2000–2015, 2016–2031, …) through years,
quarters and months down to the days of one month (1–15, 16–31, 1–7, …), and one
day's articles, if ever more than CAP, in chunks of CAP. Where a span ends depends
on how many articles fall in it and its parent, nothing else: an edit, a new or
deleted article changes its own span alone, and reshapes it only when the span
grows past CAP (it splits in two) or its parent falls back to CAP (the two halves
merge). Old shards of a news archive stay as they are; new articles land in the newest.
"""
from __future__ import annotations

import calendar
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

CAP = 300  # article pages per shard: Pagefind indexes 300 in about 0.6 s (bench/RESULTS.md)
ROOT_MONTHS = 192  # 16 years, aligned to years divisible by 16
MONTH_DAYS = 31  # every month is split as if it had 31 days, so its spans do not depend on its length


@dataclass(frozen=True, slots=True)
class Member:
    """An article page as the index sees it."""

    when: datetime  # the article's date, in the site's zone
    rel: str  # its page below the output folder
    view: bytes = b""  # what the page's record is made from: changes when the record may change
    digest: str = ""  # the page's bytes: when they are the same, so is the record


@dataclass(frozen=True, slots=True)
class Shard:
    label: str  # its span: '2016_2031', '2022', '2022-01_2022-03', '2022-01', '2022-01-16_2022-01-31', '2022-01-03.2'
    members: tuple[Member, ...]  # oldest first

    @property
    def pages(self) -> tuple[str, ...]:
        return tuple(m.rel for m in self.members)

    @property
    def folder(self) -> str:
        """Its bundle's folder below pagefind/. It keeps its name when the shard is indexed
        again: Pagefind names its files by their content, so only those that changed change."""
        return self.label


def plan_shards(members: Iterable[Member], cap: int = CAP) -> list[Shard]:
    """The shards of these pages, oldest first."""
    ordered = sorted(members, key=lambda m: (m.when, m.rel))
    months = [_month(m.when.date()) for m in ordered]
    spans: list[tuple[str, Sequence[Member]]] = []
    lo = 0
    while lo < len(ordered):
        start = months[lo] - months[lo] % ROOT_MONTHS
        hi = bisect_left(months, start + ROOT_MONTHS, lo)
        _months(ordered, months, lo, hi, start, ROOT_MONTHS, cap, spans)
        lo = hi
    return [Shard(label, tuple(group)) for label, group in spans]


def _months(ordered: list[Member], months: list[int], lo: int, hi: int, start: int, length: int,
            cap: int, out: list[tuple[str, Sequence[Member]]]) -> None:
    """Months [start, start + length) hold ordered[lo:hi]: one shard, or halves, or days."""
    if lo == hi:
        return
    if hi - lo <= cap:
        out.append((_months_label(start, length), ordered[lo:hi]))
    elif length > 1:
        half = length // 2
        middle = bisect_left(months, start + half, lo, hi)
        _months(ordered, months, lo, middle, start, half, cap, out)
        _months(ordered, months, middle, hi, start + half, length - half, cap, out)
    else:
        days = [m.when.day - 1 for m in ordered[lo:hi]]
        _days(ordered[lo:hi], days, 0, hi - lo, start, 0, MONTH_DAYS, cap, out)


def _days(ordered: Sequence[Member], days: list[int], lo: int, hi: int, month: int, start: int,
          length: int, cap: int, out: list[tuple[str, Sequence[Member]]]) -> None:
    """Days [start, start + length) of one month hold ordered[lo:hi]."""
    if lo == hi:
        return
    year, number = divmod(month, 12)
    last_day = min(start + length, calendar.monthrange(year, number + 1)[1])
    first = f"{_month_label(month)}-{start + 1:02d}"
    if hi - lo <= cap:
        out.append((first if length == 1 else f"{first}_{_month_label(month)}-{last_day:02d}", ordered[lo:hi]))
    elif length > 1:
        half = length // 2
        middle = bisect_left(days, start + half, lo, hi)
        _days(ordered, days, lo, middle, month, start, half, cap, out)
        _days(ordered, days, middle, hi, month, start + half, length - half, cap, out)
    else:  # more than `cap` articles in one day: chunks in the day's order (new ones come last)
        for n, at in enumerate(range(lo, hi, cap), 1):
            out.append((f"{first}.{n}", ordered[at:min(at + cap, hi)]))


def _month(day: date) -> int:
    return day.year * 12 + day.month - 1


def _months_label(start: int, length: int) -> str:
    """'2016_2031' for whole years, '2022-01_2022-06' for months, '2022-01' for one."""
    if start % 12 == 0 and length % 12 == 0:
        first, last = start // 12, (start + length) // 12 - 1
        return f"{first:04d}" if first == last else f"{first:04d}_{last:04d}"
    first_month, last_month = _month_label(start), _month_label(start + length - 1)
    return first_month if length == 1 else f"{first_month}_{last_month}"


def _month_label(month: int) -> str:
    year, number = divmod(month, 12)
    return f"{year:04d}-{number + 1:02d}"
