"""Feeds for feed readers and aggregators: Atom details, optional RSS 2.0, summary-only feeds,
discovery links, and the Google News sitemap (checked with xmllint against its schema)."""
from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET

import feedparser
import pytest
from conftest import BASE_URL

from tests import tools

ATOM = "{http://www.w3.org/2005/Atom}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ARTICLE = {
    "title": "Peso & sol slide",
    "summary": "Latin American currencies fell.",
    "authors": ["Camila Rojas"],
    "tags": ["Markets"],
    "regions": ["Latin America"],
    "source": {"name": "Andes Wire", "url": "https://andeswire.example/peso"},
    "copyright": "Copyright © Andes Wire, 2016",
}


def alternates(page) -> dict[str, str]:
    return {link.get("href"): link.get("type") for link in page.find_all("link", rel="alternate")}


def test_atom_entry_credits_author_source_and_rights(site):
    site.article("a.md", ARTICLE, "Body *text*.\n")
    site.build()
    entry = ET.parse(site.output / "feed.xml").getroot().find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}author/{ATOM}name").text == "Camila Rojas"
    via = [link for link in entry.findall(f"{ATOM}link") if link.get("rel") == "via"]
    assert via[0].get("href") == "https://andeswire.example/peso" and via[0].get("title") == "Andes Wire"
    assert entry.find(f"{ATOM}rights").text == "Copyright © Andes Wire, 2016"
    assert {c.get("term") for c in entry.findall(f"{ATOM}category")} == {"Markets", "Latin America"}
    assert "<em>text</em>" in entry.find(f"{ATOM}content").text


def test_no_rss_unless_asked(site):
    site.article("a.md", ARTICLE)
    site.build()
    assert not site.exists("/rss.xml")
    assert "application/rss+xml" not in alternates(site.page("/")).values()


def test_rss_beside_every_atom_feed(make_site):
    site = make_site(rss=True)
    site.article("a.md", ARTICLE, "Body *text*.\n")
    site.build()
    atom = {u for u in site.urls() if u.endswith("/feed.xml")}
    rss = {u for u in site.urls() if u.endswith("/rss.xml")}
    assert {u.replace("feed.xml", "rss.xml") for u in atom} == rss
    assert {"/rss.xml", "/tags/markets/rss.xml", "/regions/latin-america/rss.xml",
            "/sources/andes-wire/rss.xml"} <= rss
    parsed = feedparser.parse(site.read("/rss.xml").encode())
    assert parsed.bozo == 0 and parsed.version == "rss20"
    assert parsed.feed.title == "Test Digest" and parsed.feed.link == BASE_URL
    (entry,) = parsed.entries
    assert entry.title == "Peso & sol slide"
    assert entry.link == entry.id == BASE_URL + "2016/11/09/peso-and-sol-slide/"
    assert entry.published == "Wed, 09 Nov 2016 00:00:00 -0500"
    assert entry.author == "Camila Rojas"
    assert entry.summary == "Latin American currencies fell."
    assert "<em>text</em>" in entry.content[0].value and "Andes Wire" in entry.content[0].value
    assert {t.term for t in entry.tags} == {"Markets", "Latin America"}


def test_rss_discovery_links(make_site):
    site = make_site(rss=True)
    site.article("a.md", ARTICLE)
    site.build()
    assert alternates(site.page("/")) == {"/feed.xml": "application/atom+xml",
                                          "/rss.xml": "application/rss+xml"}
    term = alternates(site.page("/tags/markets/"))
    assert term["/tags/markets/feed.xml"] == "application/atom+xml"
    assert term["/tags/markets/rss.xml"] == "application/rss+xml"


def test_summary_feeds(make_site):
    site = make_site(feed_content="summary", rss=True)
    site.article("a.md", ARTICLE, "The full body.\n")
    site.build()
    entry = ET.parse(site.output / "feed.xml").getroot().find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}summary").text == "Latin American currencies fell."
    assert entry.find(f"{ATOM}content") is None
    parsed = feedparser.parse(site.read("/rss.xml").encode())
    assert parsed.bozo == 0 and "content" not in parsed.entries[0]
    assert parsed.entries[0].summary == "Latin American currencies fell."


def test_invalid_feed_settings_are_config_errors(make_site):
    site = make_site(feed_content="everything", canonical="elsewhere", rss="yes", related=-1)
    site.article("a.md")
    errors = "\n".join(site.build_errors())
    assert "feed_content: must be one of 'full', 'summary'" in errors
    assert "canonical: must be one of 'source', 'self'" in errors
    assert "rss: must be true or false" in errors
    assert "related: must be a whole number, 0 or more" in errors


# ---------------------------------------------------------------- the Google News sitemap


@pytest.fixture
def news_site(site):
    # NOW is 2020-01-01T00:00Z, 2019-12-31T19:00 in the site's New York zone.
    site.article("new.md", {**ARTICLE, "title": "Fresh news", "date": "2019-12-31T10:00:00-05:00"})
    site.article("yesterday.md", {**ARTICLE, "title": "Yesterday's", "date": "2019-12-30T08:00:00-05:00"})
    site.article("old.md", {**ARTICLE, "title": "Old news", "date": "2019-12-20"})
    site.build()
    return site


def test_news_sitemap_lists_the_last_two_days(news_site):
    root = ET.parse(news_site.output / "news-sitemap.xml").getroot()
    urls = root.findall(f"{SITEMAP}url")
    assert [u.find(f"{SITEMAP}loc").text for u in urls] == [
        BASE_URL + "2019/12/31/fresh-news/", BASE_URL + "2019/12/30/yesterday-s/"]
    news = urls[0].find(f"{NEWS}news")
    assert news.find(f"{NEWS}publication/{NEWS}name").text == "Test Digest"
    assert news.find(f"{NEWS}publication/{NEWS}language").text == "en"
    assert news.find(f"{NEWS}publication_date").text == "2019-12-31T10:00:00-05:00"
    assert news.find(f"{NEWS}title").text == "Fresh news"


def test_news_sitemap_is_valid(news_site):
    xmllint = tools.xmllint_path()
    result = subprocess.run(
        [xmllint, "--noout", "--schema", str(tools.SCHEMAS_DIR / "news-sitemap.xsd"),
         str(news_site.output / "news-sitemap.xml")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_robots_lists_both_sitemaps(news_site):
    assert news_site.read("/robots.txt").splitlines()[-2:] == [
        f"Sitemap: {BASE_URL}sitemap.xml", f"Sitemap: {BASE_URL}news-sitemap.xml"]


def test_no_news_sitemap_without_recent_articles(site):
    site.article("old.md", {**ARTICLE, "date": "2019-12-20"})
    site.build()
    assert not site.exists("/news-sitemap.xml")
    assert "news-sitemap" not in site.read("/robots.txt")
