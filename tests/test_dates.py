"""Dates: date-only means midnight in the site zone, naive times are site time, aware ones convert."""
from __future__ import annotations

import pytest


def article_time(site, url: str) -> str:
    return site.page(url).find("p", cls="meta").find("time").get("datetime")


@pytest.mark.parametrize("written, url, iso", [
    # date only: midnight in the site zone (New York)
    ("2016-11-09", "/2016/11/09/a/", "2016-11-09T00:00:00-05:00"),
    # naive datetime: read in the site zone
    ("2016-11-09T23:30:00", "/2016/11/09/a/", "2016-11-09T23:30:00-05:00"),
    ("2016-11-09 23:30", "/2016/11/09/a/", "2016-11-09T23:30:00-05:00"),
    # aware: converted to the site zone, and filed by the converted day
    ("2016-11-10T01:30:00+03:00", "/2016/11/09/a/", "2016-11-09T17:30:00-05:00"),
    ("2016-11-10T03:00:00Z", "/2016/11/09/a/", "2016-11-09T22:00:00-05:00"),
    ("2016-11-09T05:00:00+00:00", "/2016/11/09/a/", "2016-11-09T00:00:00-05:00"),
    ("2016-11-09T04:59:59+00:00", "/2016/11/08/a/", "2016-11-08T23:59:59-05:00"),
    # daylight saving time applies to the day, not to the build machine
    ("2016-07-04T12:00:00", "/2016/07/04/a/", "2016-07-04T12:00:00-04:00"),
])
def test_article_dates(site, written, url, iso):
    site.article("a.md", {"title": "A", "date": written})
    site.build()
    assert article_time(site, url) == iso


def test_date_written_as_yaml_timestamp_is_read_as_written(site):
    site.article("a.md", "title: A\ndate: 2016-11-09 10:00:00\nsource: Wire\n")
    site.build()
    assert article_time(site, "/2016/11/09/a/") == "2016-11-09T10:00:00-05:00"


def test_utc_site(make_site):
    site = make_site(timezone="UTC")
    site.article("a.md", {"title": "A", "date": "2016-11-10T01:30:00+03:00"})
    site.build()
    assert article_time(site, "/2016/11/09/a/") == "2016-11-09T22:30:00+00:00"


def test_order_uses_the_instant_not_the_written_clock(site):
    # 10:00 in Tokyo is earlier than 09:00 in New York on the same day
    site.article("tokyo.md", {"title": "Tokyo", "date": "2016-11-09T10:00:00+09:00"})
    site.article("ny.md", {"title": "New York", "date": "2016-11-09T09:00:00"})
    site.build()
    titles = [h.text for h in site.page("/2016/11/09/").find_all("h2", cls="item-title")]
    # Tokyo 10:00 is 20:00 the day before in New York
    assert titles == ["New York"]
    assert [h.text for h in site.page("/2016/11/08/").find_all("h2", cls="item-title")] == ["Tokyo"]
    assert [h.text for h in site.page("/").find_all(cls="item-title")] == ["New York", "Tokyo"]  # two editions


def test_source_published_date_is_a_date(site):
    site.article("a.md", {"title": "A", "source": {"name": "Wire", "published": "2016-11-08"}})
    site.build()
    time = site.page("/2016/11/09/a/").find("p", cls="source").find("time")
    assert (time.get("datetime"), time.text) == ("2016-11-08", "November 8, 2016")
