"""What an article page shows: header, attribution, terms, disclaimer, neighbours, canonical."""
from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from conftest import DROP

FULL = {
    "title": "Peso, real & sol slide",
    "date": "2016-11-09T16:00:00+00:00",
    "summary": "Latin American currencies fell.",
    "authors": ["Camila Rojas", "Diego Huamán"],
    "tags": ["Markets", "Trade"],
    "regions": ["Latin America"],
    "source": {"name": "Andes Wire", "url": "https://andeswire.example/peso",
               "published": "2016-11-08"},
    "via": {"name": "Global Press Review", "url": "https://gpr.example/peso"},
    "copyright": "Copyright © Andes Wire, 2016",
}
URL = "/2016/11/09/peso-real-and-sol-slide/"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def full(site):
    site.article("peso.md", FULL, "LIMA — Currencies *tumbled*.\n\nSecond paragraph.\n")
    site.build()
    return site.page(URL)


def test_header(full):
    assert full.h1 == "Peso, real & sol slide"
    assert full.title == "Peso, real & sol slide · Test Digest"
    assert full.find("p", cls="lede").text == "Latin American currencies fell."
    assert full.find("meta", name="description").get("content") == "Latin American currencies fell."
    assert full.find("span", cls="byline").text == "By Camila Rojas, Diego Huamán"


def test_time_is_in_the_site_timezone_and_links_the_day(full):
    time = full.find("p", cls="meta").find("time")
    assert time.get("datetime") == "2016-11-09T11:00:00-05:00"
    assert time.text == "November 9, 2016"
    assert full.find("p", cls="meta").find("a").get("href") == "/2016/11/09/"


def test_body(full):
    body = full.find("div", cls="article-body")
    assert body.find("em").text == "tumbled"
    assert [p.text for p in body.find_all("p")] == ["LIMA — Currencies tumbled.", "Second paragraph."]


def test_attribution_block(full):
    attribution = full.find("section", cls="attribution")
    source = attribution.find("p", cls="source")
    assert source.text.startswith("Originally published by Andes Wire on November 8, 2016.")
    assert source.find("a").get("href") == "https://andeswire.example/peso"
    assert source.find("time").get("datetime") == "2016-11-08"
    assert source.find("a", cls="more").get("href") == "/sources/andes-wire/"
    via = attribution.find("p", cls="via")
    assert via.text == "Via Global Press Review."
    assert via.find("a").get("href") == "https://gpr.example/peso"
    assert attribution.find("p", cls="copyright").text == "Copyright © Andes Wire, 2016"


def test_terms_are_linked(full):
    terms = full.find("dl", cls="terms")
    assert [dt.text for dt in terms.find_all("dt")] == ["Topics", "Regions"]
    assert terms.links() == {"Markets": "/tags/markets/", "Trade": "/tags/trade/",
                             "Latin America": "/regions/latin-america/"}


def test_canonical_link(full):
    # A republished article points at the original by default (canonical = "source");
    # tests/test_metadata.py covers the policy in full.
    assert full.find("link", rel="canonical").get("href") == "https://andeswire.example/peso"


def test_source_without_url_or_published_date(site):
    site.article("a.md", {"title": "A", "source": {"name": "Wire Service"}})
    site.build()
    source = site.page("/2016/11/09/a/").find("p", cls="source")
    assert source.text.startswith("Originally published by Wire Service.")
    assert [a.get("href") for a in source.find_all("a")] == ["/sources/wire-service/"]
    assert not source.has("time")


def test_source_as_a_bare_name(site):
    site.article("a.md", {"title": "A", "source": "Wire Service"})
    site.build()
    assert site.page("/2016/11/09/a/").find("p", cls="source").text.startswith(
        "Originally published by Wire Service")


def test_original_article_has_no_source(site):
    site.article("a.md", {"title": "A", "source": DROP, "original": True})
    site.build()
    page = site.page("/2016/11/09/a/")
    assert page.find("p", cls="source").text == "Original reporting by Test Digest."
    assert not page.has("p", cls="via")
    assert not site.exists("/sources/example-times/")


def test_via_without_url(site):
    site.article("a.md", {"title": "A", "via": "Newsletter"})
    site.build()
    via = site.page("/2016/11/09/a/").find("p", cls="via")
    assert via.text == "Via Newsletter."
    assert not via.has("a")


def test_minimal_article_shows_no_empty_blocks(site):
    site.article("a.md", {"title": "A"}, "")
    site.build()
    page = site.page("/2016/11/09/a/")
    assert not page.has("span", cls="byline")
    assert not page.has("p", cls="lede")  # no summary and no first paragraph
    assert not page.has("p", cls="copyright")
    assert not page.has("dl", cls="terms")


def test_summary_defaults_to_first_paragraph(site):
    site.article("a.md", {"title": "A"}, "# Heading\n\nThe *first* paragraph.\n\nThe second.\n")
    site.build()
    page = site.page("/2016/11/09/a/")
    assert page.find("p", cls="lede").text == "The first paragraph."
    assert page.find("meta", name="description").get("content") == "The first paragraph."


def test_updated_date_is_shown(site):
    site.article("a.md", {"title": "A", "date": "2016-11-09T10:00:00", "updated": "2016-11-10T09:00:00"})
    site.build()
    times = site.page("/2016/11/09/a/").find("p", cls="meta").find_all("time")
    assert [t.get("datetime") for t in times] == ["2016-11-09T10:00:00-05:00", "2016-11-10T09:00:00-05:00"]
    assert "Updated November 10, 2016" in site.page("/2016/11/09/a/").find("p", cls="meta").text


# ---------------------------------------------------------------- disclaimers


def disclaimer(site, url: str) -> str | None:
    page = site.page(url)
    asides = page.find_all("aside", cls="disclaimer")
    assert len(asides) <= 1
    return asides[0].text if asides else None


def test_default_disclaimer(site):
    site.article("a.md", {"title": "A"})
    site.build()
    assert disclaimer(site, "/2016/11/09/a/") == "Standard disclaimer: fair use applies."
    assert site.page("/2016/11/09/a/").find("aside", cls="disclaimer").find("em").text == "fair use"


def test_article_disclaimer_key_wins(make_site):
    site = make_site(sources={"Andes Wire": {"disclaimer": "translation"}})
    site.article("a.md", {"title": "A", "disclaimer": "opinion", "source": {"name": "Andes Wire"}})
    site.build()
    assert disclaimer(site, "/2016/11/09/a/") == "Opinion disclaimer: the author's own views."


def test_source_disclaimer_beats_the_default(make_site):
    site = make_site(sources={"Andes Wire": {"disclaimer": "translation"}})
    site.article("a.md", {"title": "A", "source": {"name": "Andes Wire"}})
    site.article("b.md", {"title": "B", "source": {"name": "  andes   WIRE "}})  # matched loosely
    site.article("c.md", {"title": "C", "source": {"name": "Other Wire"}})
    site.build()
    assert disclaimer(site, "/2016/11/09/a/") == "Translation disclaimer: this is our own translation."
    assert disclaimer(site, "/2016/11/09/b/") == "Translation disclaimer: this is our own translation."
    assert disclaimer(site, "/2016/11/09/c/") == "Standard disclaimer: fair use applies."


@pytest.mark.parametrize("value", [False, "false", "False"])
def test_disclaimer_false_shows_none(make_site, value):
    site = make_site(sources={"Andes Wire": {"disclaimer": "translation"}})
    site.article("a.md", {"title": "A", "disclaimer": value, "source": {"name": "Andes Wire"}})
    site.build()
    assert disclaimer(site, "/2016/11/09/a/") is None


def test_no_default_disclaimer_shows_none(make_site):
    site = make_site(default_disclaimer=DROP)
    site.article("a.md", {"title": "A"})
    site.build()
    assert disclaimer(site, "/2016/11/09/a/") is None


def test_disclaimer_is_in_the_feed_entry(site):
    site.article("a.md", {"title": "A", "disclaimer": "opinion"})
    site.build()
    root = ET.fromstring(site.read("/feed.xml").encode())
    content = root.find(f"{ATOM}entry/{ATOM}content").text
    assert "<p>Opinion disclaimer: the author's own views.</p>" in content
    assert 'Originally published by <a href="https://times.example/story">Example Times</a>.' in content


# ---------------------------------------------------------------- neighbours


def test_previous_and_next_links(site):
    site.article("a.md", {"title": "Oldest", "date": "2016-11-01"})
    site.article("b.md", {"title": "Middle", "date": "2016-11-02"})
    site.article("c.md", {"title": "Newest", "date": "2016-11-03"})
    site.build()
    middle = site.page("/2016/11/02/middle/").find("nav", cls="prev-next")
    assert middle.find("a", rel="prev").get("href") == "/2016/11/01/oldest/"
    assert middle.find("a", rel="prev").text == "Oldest"
    assert middle.find("a", rel="next").get("href") == "/2016/11/03/newest/"
    oldest = site.page("/2016/11/01/oldest/")
    assert not oldest.has("a", rel="prev")
    assert oldest.find("a", rel="next").get("href") == "/2016/11/02/middle/"
    assert not site.page("/2016/11/03/newest/").has("a", rel="next")


def test_lone_article_has_no_neighbour_nav(site):
    site.article("a.md", {"title": "A"})
    site.build()
    assert not site.page("/2016/11/09/a/").has("nav", cls="prev-next")
