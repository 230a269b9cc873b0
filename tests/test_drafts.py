"""Drafts and future-dated articles: left out unless asked for, and then visibly marked."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import pytest
from conftest import BASE_URL

ATOM = "{http://www.w3.org/2005/Atom}"
PUBLISHED = "/2016/11/09/published/"
DRAFT = "/2016/11/10/a-draft/"
FUTURE = "/2030/11/09/from-the-future/"  # NOW is 2020-01-01


@pytest.fixture
def mixed(site):
    site.article("published.md", {"title": "Published", "tags": ["Trade"]})
    site.article("draft.md", {"title": "A draft", "date": "2016-11-10", "draft": True, "tags": ["Secret"]})
    site.article("future.md", {"title": "From the future", "date": "2030-11-09T08:00:00",
                               "tags": ["Trade"], "source": {"name": "Tomorrow Times"}})
    return site


def everything_mentions(site, text: str) -> list[str]:
    """Built files whose text mentions text."""
    return sorted(p.relative_to(site.output).as_posix() for p in site.output.rglob("*")
                  if p.is_file() and p.suffix in (".html", ".xml", ".txt") and text in p.read_text())


def badges(site, url: str) -> list[str]:
    return [b.text for b in site.page(url).find_all("span", cls="badge")]


def test_drafts_and_future_articles_are_left_out(mixed):
    mixed.build()
    assert mixed.exists(PUBLISHED)
    assert not mixed.exists(DRAFT) and not mixed.exists(FUTURE)
    assert everything_mentions(mixed, "A draft") == []
    assert everything_mentions(mixed, "From the future") == []
    assert everything_mentions(mixed, "Tomorrow Times") == []
    assert not mixed.exists("/tags/secret/")
    assert not mixed.exists("/sources/tomorrow-times/")
    assert not mixed.exists("/2030/")
    assert not mixed.exists("/2016/11/10/")
    assert mixed.page("/tags/").find("ul", cls="term-index").links() == {"Trade": "/tags/trade/"}
    assert badges(mixed, PUBLISHED) == []


def test_drafts_option_includes_and_marks_drafts(mixed):
    mixed.build(drafts=True)
    page = mixed.page(DRAFT)
    assert badges(mixed, DRAFT) == ["Draft"]
    assert "is-draft" in page.find("article").classes
    assert not mixed.exists(FUTURE)
    home = mixed.page("/")
    draft_item = next(a for a in home.find_all("article", cls="item") if "A draft" in a.text)
    assert "is-draft" in draft_item.classes
    assert [b.text for b in draft_item.find_all("span", cls="badge")] == ["Draft"]
    assert mixed.exists("/tags/secret/")


def test_future_option_includes_and_marks_scheduled(mixed):
    mixed.build(future=True)
    assert badges(mixed, FUTURE) == ["Scheduled"]
    assert not mixed.exists(DRAFT)
    assert mixed.exists("/2030/11/09/")
    home = mixed.page("/")  # the 2030 edition in full, then the 2016 one's headline
    items = home.main.find_all(cls="item")
    assert [i.find(cls="item-title").text for i in items] == ["From the future", "Published"]
    assert [b.text for b in items[0].find_all("span", cls="badge")] == ["Scheduled"]
    assert badges(mixed, PUBLISHED) == []


def test_both_options(mixed):
    mixed.build(drafts=True, future=True)
    assert badges(mixed, DRAFT) == ["Draft"]
    assert badges(mixed, FUTURE) == ["Scheduled"]


def test_a_future_draft_needs_both_options(site):
    site.article("x.md", {"title": "Later draft", "date": "2031-01-01", "draft": True})
    site.build(drafts=True)
    assert not site.exists("/2031/01/01/later-draft/")
    site.build(future=True)
    assert not site.exists("/2031/01/01/later-draft/")
    site.build(drafts=True, future=True)
    assert badges(site, "/2031/01/01/later-draft/") == ["Draft", "Scheduled"]


def test_future_is_judged_against_now_not_the_day(site):
    site.article("x.md", {"title": "Later today", "date": "2016-11-09T15:00:00"})
    site.now = datetime(2016, 11, 9, 19, 59, tzinfo=UTC)
    site.build()
    assert not site.exists("/2016/11/09/later-today/")  # 14:59 in New York
    site.now = site.now.replace(hour=20, minute=0)
    site.build()
    assert site.exists("/2016/11/09/later-today/")


def test_scheduled_article_left_out_of_feed_and_sitemap(mixed):
    mixed.build()
    feed = ET.fromstring(mixed.read("/feed.xml").encode())
    assert [e.find(f"{ATOM}title").text for e in feed.findall(f"{ATOM}entry")] == ["Published"]
    assert f"{BASE_URL}2030/" not in mixed.read("/sitemap.xml")


def test_neighbours_skip_left_out_articles(mixed):
    mixed.article("later.md", {"title": "Later", "date": "2016-11-11"})
    mixed.build()
    nav = mixed.page(PUBLISHED).find("nav", cls="prev-next")
    assert nav.find("a", rel="next").get("href") == "/2016/11/11/later/"


def test_cli_flags_and_summary(site):
    site.article("published.md", {"title": "Published"})
    site.article("draft.md", {"title": "A draft", "date": "2016-11-10", "draft": True})
    site.article("future.md", {"title": "Far future", "date": "2999-01-01"})
    result = site.cli("build")
    assert result.exit_code == 0, result.output
    assert re.match(r"Built 1 articles? \(1 draft.*, 1 scheduled left out\) into", result.stdout), result.stdout
    assert not site.exists(DRAFT)
    result = site.cli("build", "--drafts", "--future")
    assert result.exit_code == 0, result.output
    assert re.match(r"Built 3 articles into", result.stdout), result.stdout
    assert badges(site, DRAFT) == ["Draft"]
    assert badges(site, "/2999/01/01/far-future/") == ["Scheduled"]


def test_invalid_drafts_are_still_validated(site):
    """A draft is left out of the site, not out of validation: a build that leaves it out
    warns about each problem; one that publishes drafts stops on them."""
    site.article("ok.md", {"title": "Published"})
    site.article("draft.md", {"title": "A draft", "draft": True, "date": "nope"})
    result = site.cli("build")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        "content/draft.md:3: warning: date: invalid date 'nope' (use YYYY-MM-DD or an ISO 8601 datetime such "
        "as 2016-11-09T14:30:00+03:00; the draft is left out until then)"]
    assert re.match(r"Built 1 article \(1 draft\(s\) left out\) into", result.stdout), result.stdout
    errors = site.build_errors(drafts=True)
    assert len(errors) == 1 and errors[0].startswith("content/draft.md:3: date: invalid date 'nope'")


def test_a_future_draft_is_counted_once_in_the_summary(site):
    site.article("published.md", {"title": "Published"})
    site.article("x.md", {"title": "Later draft", "date": "2999-01-01", "draft": True})
    result = site.cli("build")
    assert re.match(r"Built 1 article \(1 draft\(s\) left out\) into", result.stdout), result.stdout
    result = site.cli("build", "--drafts")
    assert re.match(r"Built 1 article \(1 scheduled left out\) into", result.stdout), result.stdout
    result = site.cli("build", "--future")
    assert re.match(r"Built 1 article \(1 draft\(s\) left out\) into", result.stdout), result.stdout
