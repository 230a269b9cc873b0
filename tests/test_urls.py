"""The output URL scheme: articles, home, archives, taxonomies, sources, feeds, sitemap."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from conftest import BASE_URL, DROP, HtmlPage

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def list_items(page: HtmlPage) -> list[str]:
    return [h.find("a").get("href") for h in page.main.find_all("h2", cls="item-title")]


def edition_items(page: HtmlPage) -> list[str]:
    """Article links of a home page: the lead edition's titles and earlier editions' headlines."""
    return [(h if h.tag == "a" else h.find("a")).get("href") for h in page.main.find_all(cls="item-title")]


def feed_entries(xml: str) -> list[ET.Element]:
    root = ET.fromstring(xml.encode())
    assert root.tag == f"{ATOM}feed"
    return root.findall(f"{ATOM}entry")


def test_article_url_is_date_and_slug(site):
    site.article("a.md", {"title": "Moscow signals readiness", "date": "2016-11-09T11:40:00-05:00"})
    site.build()
    page = site.page("/2016/11/09/moscow-signals-readiness/")
    assert page.h1 == "Moscow signals readiness"


def test_explicit_slug_is_used(site):
    site.article("a.md", {"title": "Long title here", "slug": "short"})
    site.build()
    assert site.exists("/2016/11/09/short/")
    assert not site.exists("/2016/11/09/long-title-here/")


def test_article_filed_under_its_date_in_the_site_timezone(site):
    # 01:30 in Moscow on the 10th is 17:30 on the 9th in New York.
    site.article("a.md", {"title": "Late night", "date": "2016-11-10T01:30:00+03:00"})
    site.build()
    assert site.exists("/2016/11/09/late-night/")
    assert not site.exists("/2016/11/10/late-night/")
    assert site.exists("/2016/11/09/")
    assert not site.exists("/2016/11/10/")


def test_same_instant_filed_by_each_site_timezone(make_site):
    site = make_site(timezone="Europe/Moscow")
    site.article("a.md", {"title": "Late night", "date": "2016-11-09T17:30:00-05:00"})
    site.build()
    assert site.exists("/2016/11/10/late-night/")


def test_home_lists_newest_first_and_paginates(make_site):
    site = make_site(paginate=2)
    for day in range(1, 6):
        site.article(f"a{day}.md", {"title": f"Story {day}", "date": f"2016-11-0{day}"})
    site.build()
    home = site.page("/")  # the latest edition in full, then `paginate` earlier editions per page
    assert edition_items(home) == ["/2016/11/05/story-5/", "/2016/11/04/story-4/", "/2016/11/03/story-3/"]
    assert home.title == "Test Digest"
    second = site.page("/page/2/")
    assert edition_items(second) == ["/2016/11/02/story-2/", "/2016/11/01/story-1/"]
    assert not site.exists("/page/3/")
    assert not site.exists("/page/1/")  # page 1 is the home page itself
    # pagination links: newer/older and numbered pages
    nav = second.find("nav", cls="pagination")
    assert nav.find("a", rel="prev").get("href") == "/"
    assert not nav.has("a", rel="next")
    assert nav.find("a", aria_current="page").text == "2"
    assert "page 2 of 2" in second.title
    assert not home.has("a", rel="prev")


def test_single_page_has_no_pagination(site):
    site.article("a.md", {"title": "Only"})
    site.build()
    assert not site.page("/").has("nav", cls="pagination")


def test_empty_site_builds_a_home_page(site):
    site.build()
    home = site.page("/")
    assert home.find("p", cls="empty").text == "No articles yet."
    assert feed_entries(site.read("/feed.xml")) == []


def test_day_month_year_archives(site):
    site.article("a.md", {"title": "First", "date": "2016-11-09T08:00:00"})
    site.article("b.md", {"title": "Second", "date": "2016-11-09T20:00:00"})
    site.article("c.md", {"title": "Third", "date": "2016-11-21"})
    site.article("d.md", {"title": "Fourth", "date": "2016-12-01"})
    site.article("e.md", {"title": "Fifth", "date": "2015-01-31"})
    site.build()

    day = site.page("/2016/11/09/")
    assert list_items(day) == ["/2016/11/09/second/", "/2016/11/09/first/"]
    assert day.h1 == "Wednesday, November 9, 2016"

    month = site.page("/2016/11/")
    assert list_items(month) == ["/2016/11/21/third/", "/2016/11/09/second/", "/2016/11/09/first/"]
    assert month.h1 == "November 2016"
    periods = month.find("nav", cls="periods")
    assert periods.links() == {"November 21, 2016": "/2016/11/21/", "November 9, 2016": "/2016/11/09/"}
    assert "(2)" in periods.text and "(1)" in periods.text

    year = site.page("/2016/")
    assert list_items(year) == ["/2016/12/01/fourth/", "/2016/11/21/third/",
                                "/2016/11/09/second/", "/2016/11/09/first/"]
    assert year.find("nav", cls="periods").links() == {"December 2016": "/2016/12/",
                                                       "November 2016": "/2016/11/"}
    assert list_items(site.page("/2015/")) == ["/2015/01/31/fifth/"]
    assert not site.exists("/2016/10/")
    assert not site.exists("/2016/11/10/")


def test_archives_paginate_too(make_site):
    site = make_site(paginate=2)
    for hour in range(3):
        site.article(f"a{hour}.md", {"title": f"Hour {hour}", "date": f"2016-11-09T0{hour}:00:00"})
    site.build()
    # a day is one edition: all its articles on one page, however many
    assert list_items(site.page("/2016/11/09/")) == [f"/2016/11/09/hour-{h}/" for h in (2, 1, 0)]
    assert not site.exists("/2016/11/09/page/2/")
    assert list_items(site.page("/2016/11/page/2/")) == ["/2016/11/09/hour-0/"]
    assert list_items(site.page("/2016/page/2/")) == ["/2016/11/09/hour-0/"]


def test_taxonomy_term_pages_and_index(site):
    site.article("a.md", {"title": "A", "date": "2016-11-09", "tags": ["Trade", "Oil"],
                          "regions": ["Latin America"]})
    site.article("b.md", {"title": "B", "date": "2016-11-10", "tags": ["Trade"]})
    site.build()
    trade = site.page("/tags/trade/")
    assert trade.h1 == "Trade"
    assert list_items(trade) == ["/2016/11/10/b/", "/2016/11/09/a/"]
    assert list_items(site.page("/tags/oil/")) == ["/2016/11/09/a/"]
    assert list_items(site.page("/regions/latin-america/")) == ["/2016/11/09/a/"]

    index = site.page("/tags/")
    assert index.h1 == "Topics"
    entries = {li.find("a").text: (li.find("a").get("href"), li.find("span", cls="count").text)
               for li in index.find("ul", cls="term-index").find_all("li")}
    assert entries == {"Oil": ("/tags/oil/", "1"), "Trade": ("/tags/trade/", "2")}
    regions = site.page("/regions/")
    assert regions.h1 == "Regions"
    assert regions.find("ul", cls="term-index").links() == {"Latin America": "/regions/latin-america/"}


def test_taxonomy_with_no_terms_still_has_an_index(site):
    site.article("a.md", {"title": "A"})
    site.build()
    assert site.page("/regions/").find("p", cls="empty")


def test_custom_taxonomy_from_config(make_site):
    site = make_site(taxonomies={"people": "People"})
    site.article("a.md", {"title": "A", "people": ["Ada Lovelace"]})
    site.build()
    assert site.page("/people/ada-lovelace/").h1 == "Ada Lovelace"
    assert site.page("/people/").h1 == "People"
    assert not site.exists("/tags/")


def test_source_pages_and_index(make_site):
    site = make_site(sources={"Sahel Observer": {"description": "A Sahel daily.",
                                                 "url": "https://sahel.example/"}})
    site.article("a.md", {"title": "A", "source": {"name": "Sahel Observer", "url": "https://sahel.example/a"}})
    site.article("b.md", {"title": "B", "date": "2016-11-10", "source": {"name": "Sahel Observer"}})
    site.article("c.md", {"title": "C", "source": {"name": "Andes Wire", "url": "https://andes.example/c"}})
    site.article("d.md", {"title": "D", "source": DROP, "original": "true"})
    site.build()
    sahel = site.page("/sources/sahel-observer/")
    assert sahel.h1 == "Sahel Observer"
    assert sahel.find("p", cls="page-description").text == "A Sahel daily."
    assert list_items(sahel) == ["/2016/11/10/b/", "/2016/11/09/a/"]
    andes = site.page("/sources/andes-wire/")
    assert andes.find("p", cls="page-description").text == "Articles from Andes Wire"
    index = site.page("/sources/")
    assert index.h1 == "Sources"
    entries = {li.find("a").text: (li.find("a").get("href"), li.find("span", cls="count").text)
               for li in index.find("ul", cls="term-index").find_all("li")}
    assert entries == {"Andes Wire": ("/sources/andes-wire/", "1"),
                       "Sahel Observer": ("/sources/sahel-observer/", "2")}


def test_atom_feeds_home_term_and_source(site):
    site.article("a.md", {"title": "A", "date": "2016-11-09", "tags": ["Trade"]})
    site.article("b.md", {"title": "B", "date": "2016-11-10", "tags": ["Oil"]})
    site.build()
    root = ET.fromstring(site.read("/feed.xml").encode())
    assert root.find(f"{ATOM}title").text == "Test Digest"
    assert root.find(f"{ATOM}id").text == BASE_URL
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == BASE_URL + "feed.xml"
    entries = root.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}id").text for e in entries] == [
        BASE_URL + "2016/11/10/b/", BASE_URL + "2016/11/09/a/"]
    assert entries[0].find(f"{ATOM}published").text == "2016-11-10T00:00:00-05:00"
    assert root.find(f"{ATOM}updated").text == "2016-11-10T00:00:00-05:00"

    trade = ET.fromstring(site.read("/tags/trade/feed.xml").encode())
    assert trade.find(f"{ATOM}title").text == "Test Digest: Trade"
    assert [e.find(f"{ATOM}title").text for e in trade.findall(f"{ATOM}entry")] == ["A"]
    source = ET.fromstring(site.read("/sources/example-times/feed.xml").encode())
    assert len(source.findall(f"{ATOM}entry")) == 2
    # each list page advertises its own feed
    assert site.page("/tags/trade/").has("link", rel="alternate", href="/tags/trade/feed.xml")
    assert site.page("/").has("link", rel="alternate", href="/feed.xml")


def test_feed_limit(make_site):
    site = make_site(feed_limit=2)
    for day in range(1, 5):
        site.article(f"a{day}.md", {"title": f"S{day}", "date": f"2016-11-0{day}"})
    site.build()
    assert [e.find(f"{ATOM}title").text for e in feed_entries(site.read("/feed.xml"))] == ["S4", "S3"]


def test_feed_entry_updated_uses_updated_field(site):
    site.article("a.md", {"title": "A", "date": "2016-11-09T10:00:00",
                          "updated": "2016-11-12T09:00:00Z"})
    site.build()
    entry = feed_entries(site.read("/feed.xml"))[0]
    assert entry.find(f"{ATOM}updated").text == "2016-11-12T04:00:00-05:00"
    assert entry.find(f"{ATOM}published").text == "2016-11-09T10:00:00-05:00"


def test_sitemap_robots_and_404(site):
    site.article("a.md", {"title": "A", "tags": ["Trade"], "updated": "2016-11-11"})
    site.build()
    root = ET.fromstring(site.read("/sitemap.xml").encode())
    urls = {u.find(f"{SITEMAP}loc").text: (u.find(f"{SITEMAP}lastmod").text
                                           if u.find(f"{SITEMAP}lastmod") is not None else None)
            for u in root.findall(f"{SITEMAP}url")}
    assert urls[BASE_URL + "2016/11/09/a/"] == "2016-11-11"
    for url in ("", "2016/", "2016/11/", "2016/11/09/", "tags/", "tags/trade/", "sources/",
                "sources/example-times/"):
        assert BASE_URL + url in urls, url
    assert not any(u.endswith((".xml", ".html")) for u in urls)

    robots = site.read("/robots.txt")
    assert "User-agent: *" in robots
    assert f"Sitemap: {BASE_URL}sitemap.xml" in robots

    missing = HtmlPage.parse((site.output / "404.html").read_text())
    assert missing.h1 == "Page not found"
    assert not missing.has("link", rel="canonical")  # the 404 page lives at every URL
    assert missing.find("main").links()["Latest articles"] == "/"


def test_one_article_makes_exactly_these_pages(site):
    site.article("a.md", {"title": "A", "tags": ["Trade"], "regions": ["Europe"]})
    site.build()
    built = site.urls()
    # the HTML pages made from the article (site-wide extras such as a search page may come on top)
    per_article = {u for u in built if u.endswith("/")
                   and u.startswith(("/2016", "/tags", "/regions", "/sources"))}
    assert per_article == {
        "/2016/", "/2016/11/", "/2016/11/09/", "/2016/11/09/a/",
        "/tags/", "/tags/trade/", "/regions/", "/regions/europe/",
        "/sources/", "/sources/example-times/",
    }
    assert built >= {
        "/", "/feed.xml", "/404.html", "/robots.txt", "/sitemap.xml", "/.digest-output",
        "/2016/", "/2016/11/", "/2016/11/09/", "/2016/11/09/a/",
        "/tags/", "/tags/trade/", "/tags/trade/feed.xml",
        "/regions/", "/regions/europe/", "/regions/europe/feed.xml",
        "/sources/", "/sources/example-times/", "/sources/example-times/feed.xml",
        "/static/style.css",
    }


@pytest.mark.parametrize("pattern, url", [
    ("/{year}/{slug}/", "/2016/hello/"),
    ("/news/{slug}/", "/news/hello/"),
    ("/{year}/{month}/{day}/{slug}/", "/2016/11/09/hello/"),
    ("/{slug}/", "/hello/"),
])
def test_permalink_pattern(make_site, pattern, url):
    site = make_site(permalink=pattern)
    site.article("a.md", {"title": "Hello"})
    site.build()
    assert site.page(url).h1 == "Hello"
    assert site.page("/").main.links()["Hello"] == url
    assert f"<loc>{BASE_URL}{url.lstrip('/')}</loc>" in site.read("/sitemap.xml")
    assert ET.fromstring(site.read("/feed.xml").encode()).find(f"{ATOM}entry/{ATOM}id").text == \
        BASE_URL + url.lstrip("/")


@pytest.mark.parametrize("pattern", ["/{year}/{id}/", "/{year}/", "{slug}", "/../{slug}/", "/a//{slug}/"])
def test_bad_permalink_pattern_is_a_config_error(make_site, pattern):
    site = make_site(permalink=pattern)
    errors = site.build_errors()
    assert len(errors) == 1
    assert re.match(r"site\.toml:\d+: permalink: ", errors[0])


def test_article_slug_clashing_with_a_section_is_an_error(make_site):
    site = make_site(permalink="/{slug}/")
    site.article("a.md", {"title": "Tags"})
    site.article("b.md", {"title": "B", "tags": ["x"]})
    errors = site.build_errors()
    assert any("content/a.md" in e and "/tags/" in e for e in errors), errors
    assert not site.output.exists()


def test_site_in_a_subfolder_links_with_its_path(make_site):
    site = make_site(base_url="https://example.org/digest/")
    site.article("a.md", {"title": "A", "tags": ["Trade"]})
    site.build()
    home = site.page("/")
    assert home.main.links()["A"] == "/digest/2016/11/09/a/"
    assert home.find("link", rel="canonical").get("href") == "https://example.org/digest/"
    article = site.page("/2016/11/09/a/")
    assert article.find("a", rel="tag").get("href") == "/digest/tags/trade/"
    assert article.find("link", rel="stylesheet").get("href").startswith("/digest/static/style.css")
