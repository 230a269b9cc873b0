"""Search shards (digest/search/shards.py): calendar spans of at most CAP article pages, and a change
reshapes only the span it falls in, so every other shard keeps its bundle."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from digest.search.shards import CAP, Member, Shard, plan_shards

UTC = UTC


def member(when: datetime, name: str, view: bytes = b"v1") -> Member:
    return Member(when, f"{name}/index.html", view)


def daily(first: datetime, count: int, per_day: int = 1, prefix: str = "a") -> list[Member]:
    return [member(first + timedelta(days=n // per_day, minutes=n % per_day), f"{prefix}{n}") for n in range(count)]


def labels(shards: list[Shard]) -> list[str]:
    return [s.label for s in shards]


def test_a_small_site_is_one_shard_named_by_its_sixteen_years():
    shards = plan_shards(daily(datetime(2016, 11, 1, tzinfo=UTC), 18))
    assert labels(shards) == ["2016_2031"]
    assert len(shards[0].pages) == 18
    assert shards[0].folder == "2016_2031"  # kept when the shard is indexed again


def test_spans_halve_until_each_holds_at_most_cap():
    # 40 a month for three years: years hold 480, half-years 240.
    members = [member(datetime(2022 + m // 12, m % 12 + 1, 1 + n % 28, n // 28, tzinfo=UTC), f"m{m}-{n}")
               for m in range(36) for n in range(40)]
    shards = plan_shards(members, cap=300)
    assert labels(shards) == ["2022-01_2022-06", "2022-07_2022-12", "2023-01_2023-06", "2023-07_2023-12",
                              "2024-01_2024-06", "2024-07_2024-12"]
    assert [len(s.pages) for s in shards] == [240] * 6


def test_a_busy_month_splits_into_days_and_a_busy_day_into_chunks():
    members = daily(datetime(2023, 2, 1, tzinfo=UTC), 28 * 20, per_day=20)  # February: 20 a day
    shards = plan_shards(members, cap=100)
    # A month is halved as if it had 31 days: 1–15 and 16–31, then 1–7 and 8–15, …
    assert [(s.label, len(s.pages)) for s in shards] == [
        ("2023-02-01_2023-02-03", 60), ("2023-02-04_2023-02-07", 80), ("2023-02-08_2023-02-11", 80),
        ("2023-02-12_2023-02-15", 80), ("2023-02-16_2023-02-19", 80), ("2023-02-20_2023-02-23", 80),
        ("2023-02-24_2023-02-28", 100)]  # the span is 24–31: February ends on the 28th
    one_day = daily(datetime(2023, 2, 1, 6, tzinfo=UTC), 250, per_day=250)
    assert [(s.label, len(s.pages)) for s in plan_shards(one_day, cap=100)] == [
        ("2023-02-01.1", 100), ("2023-02-01.2", 100), ("2023-02-01.3", 50)]


def test_shards_are_consecutive_oldest_first_and_cover_every_page_once():
    members = daily(datetime(2014, 6, 1, tzinfo=UTC), 2000, per_day=3)
    shards = plan_shards(members, cap=CAP)
    pages = [p for s in shards for p in s.pages]
    by_rel = {m.rel: m.when for m in members}
    assert sorted(pages) == sorted(by_rel)
    assert [by_rel[p] for p in pages] == sorted(by_rel.values())
    assert all(0 < len(s.pages) <= CAP for s in shards)
    assert len({s.folder for s in shards}) == len(shards)


def test_an_edit_changes_its_own_shard_only():
    members = daily(datetime(2020, 1, 1, tzinfo=UTC), 900, per_day=2)
    before = plan_shards(members, cap=100)
    edited = [member(m.when, m.rel.removesuffix("/index.html"), b"v2") if i == 450 else m
              for i, m in enumerate(members)]
    after = plan_shards(edited, cap=100)
    assert labels(after) == labels(before)
    assert sum(a != b for a, b in zip(after, before)) == 1


def test_new_articles_land_in_the_newest_shard():
    members = daily(datetime(2020, 1, 1, tzinfo=UTC), 600, per_day=2)
    before = plan_shards(members, cap=100)
    newer = members + [member(datetime(2020, 10, 28, tzinfo=UTC), "new")]
    after = plan_shards(newer, cap=100)
    assert after[:-1] == before[:-1]
    assert after[-1].pages[-1] == "new/index.html"


def changed(before: list[Shard], after: list[Shard]) -> tuple[set[Shard], set[Shard]]:
    return set(before) - set(after), set(after) - set(before)


when = st.datetimes(min_value=datetime(1995, 1, 1), max_value=datetime(2040, 12, 31)).map(
    lambda d: d.replace(tzinfo=UTC))


@settings(max_examples=150, deadline=None)
@given(st.lists(when, min_size=1, max_size=160), when, st.integers(min_value=2, max_value=12))
def test_adding_an_article_replaces_at_most_one_shard(dates, new, cap):
    members = [member(d, f"p{n}") for n, d in enumerate(dates)]
    # One day's articles beyond `cap` are chunked in order: an article put before others of
    # that day moves them along (within that day only). News comes in order; skip that case.
    assume(sum(d.date() == new.date() for d in dates) < cap)
    gone, added = changed(plan_shards(members, cap), plan_shards([*members, member(new, "new")], cap))
    assert len(gone) <= 1
    assert all("new/index.html" in s.pages for s in added) or len(gone) == 1  # a split: its halves are new
    assert all(len(s.pages) <= cap for s in added)


@settings(max_examples=150, deadline=None)
@given(st.lists(when, min_size=2, max_size=160), st.data(), st.integers(min_value=2, max_value=12))
def test_deleting_an_article_makes_at_most_one_new_shard(dates, data, cap):
    members = [member(d, f"p{n}") for n, d in enumerate(dates)]
    victim = data.draw(st.integers(min_value=0, max_value=len(members) - 1))
    assume(sum(d.date() == dates[victim].date() for d in dates) <= cap)  # see above
    rest = members[:victim] + members[victim + 1:]
    gone, added = changed(plan_shards(members, cap), plan_shards(rest, cap))
    assert len(added) <= 1  # the span that lost it, or the parent its halves merge back into
    assert all(members[victim].rel in s.pages for s in gone) or len(added) == 1
