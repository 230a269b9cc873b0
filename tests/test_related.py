"""Related articles: ranked by shared tags, regions and source; deterministic; recorded as page inputs."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from digest.site.index import build_index
from digest.site.model import Article, Source
from digest.site.related import WINDOW, related
from digest.site.routes import plan


def titles(page) -> list[str]:
    aside = page.find_all("aside", cls="related")
    return [a.text for a in aside[0].find_all("a")] if aside else []


def test_ranked_by_shared_tags_then_regions_then_source(make_site):
    site = make_site(related=3)
    site.article("a.md", {"title": "Subject", "tags": ["Oil", "OPEC"], "regions": ["Gulf"],
                          "source": {"name": "Wire"}})
    site.article("b.md", {"title": "Two tags", "date": "2016-11-01", "tags": ["oil", "opec"]})
    site.article("c.md", {"title": "One tag and region", "date": "2016-11-02", "tags": ["Oil"],
                          "regions": ["Gulf"]})
    site.article("d.md", {"title": "Region only", "date": "2016-11-03", "regions": ["Gulf"]})
    site.article("e.md", {"title": "Same source", "date": "2016-11-04", "source": {"name": "Wire"}})
    site.article("f.md", {"title": "Unrelated", "date": "2016-11-05", "tags": ["Sport"]})
    site.build()
    # Scores: b 3+3, c 3+2, d 2, e 1; three shown.
    assert titles(site.page("/2016/11/09/subject/")) == ["Two tags", "One tag and region", "Region only"]


def test_ties_go_to_the_nearest_in_date_order_then_the_newer(site):
    site.article("a.md", {"title": "Subject", "date": "2016-11-10", "tags": ["Oil"]})
    for day, title in ((1, "Far"), (8, "Near before"), (12, "Near after"), (20, "Farther")):
        site.article(f"{day}.md", {"title": title, "date": f"2016-11-{day:02d}", "tags": ["Oil"]})
    site.build()
    # Site order, newest first: Farther, Near after, Subject, Near before, Far.
    assert titles(site.page("/2016/11/10/subject/")) == ["Near after", "Near before", "Farther", "Far"]


def test_no_related_section_without_shared_terms_or_when_turned_off(make_site):
    site = make_site()
    site.article("a.md", {"title": "Alone", "tags": ["X"], "source": {"name": "One"}})
    site.article("b.md", {"title": "Other", "tags": ["Y"], "source": {"name": "Two"}})
    site.build()
    assert not site.page("/2016/11/09/alone/").has("aside", cls="related")
    off = make_site("off", related=0)
    off.article("a.md", {"title": "A", "tags": ["X"]})
    off.article("b.md", {"title": "B", "tags": ["X"]})
    off.build()
    assert not off.page("/2016/11/09/a/").has("aside", cls="related")


def test_related_links_show_date_and_source(site):
    site.article("a.md", {"title": "A", "tags": ["X"]})
    site.article("b.md", {"title": "B", "date": "2016-11-08", "tags": ["X"],
                          "source": {"name": "Andes Wire"}})
    site.build()
    item = site.page("/2016/11/09/a/").find("aside", cls="related").find("li")
    assert item.find("a").get("href") == "/2016/11/08/b/"
    assert item.find("time").get("datetime") == "2016-11-08T00:00:00-05:00"
    assert "Andes Wire" in item.text


def test_related_articles_are_inputs_of_the_page(site):
    """The incremental build re-renders a page when its refs change: related ones must be among them."""
    site.article("a.md", {"title": "A", "tags": ["X"]})
    site.article("b.md", {"title": "B", "date": "2016-11-08", "tags": ["X"]})
    prepared = site.check()
    page = next(p for p in prepared.pages if p.url == "/2016/11/09/a/")
    assert "/2016/11/08/b/" in page.refs


def _articles(count: int) -> list[Article]:
    start = datetime(2016, 1, 1, tzinfo=UTC)
    return [Article(path=f"{i}.md", title=f"T{i}", slug=f"t{i}", date=start + timedelta(hours=i),
                    url=f"/t{i}/", body_html="", summary="", terms=(("tags", ("Big", f"small{i % 7}")),),
                    source=Source(f"Outlet{i % 3}")) for i in range(count)]


def test_deterministic_and_bounded_on_a_big_tag():
    articles = _articles(2000)
    index, errors = build_index(articles, ["tags"])
    assert not errors
    subject = index.by_url["/t1000/"]
    first = related(index, subject, 5)
    again = related(build_index(list(reversed(articles)), ["tags"])[0], subject, 5)
    assert [a.url for a in first] == [a.url for a in again]
    assert subject not in first
    # Best: 'Big' and the same 'small' tag (every 7th article), the nearest first.
    assert [a.url for a in first[:4]] == ["/t1007/", "/t993/", "/t1014/", "/t986/"]
    # Only the WINDOW nearest of each term are scored, so nothing far away comes up.
    assert all(abs(index.position[a.url] - index.position[subject.url]) <= WINDOW for a in first)


def test_plan_of_a_big_site_stays_fast(site):
    import time
    index, _ = build_index(_articles(3000), ["tags", "regions"])
    started = time.perf_counter()
    from conftest import NOW

    from digest.site.config import load_config
    site.write_config()
    pages, _ = plan(index, load_config(site.root), NOW)
    assert len(pages) > 3000
    assert time.perf_counter() - started < 20
