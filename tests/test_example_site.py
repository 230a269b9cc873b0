"""The example site at the repository root builds cleanly and shows what it is meant to show."""
from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from conftest import NOW, REPO_ROOT, HtmlPage, Site

from digest.site.pipeline import build, check
from digest.site.records import BuildOptions

ATOM = "{http://www.w3.org/2005/Atom}"
SAHEL = "/2016/11/09/dakar-niamey-and-bamako-look-to-us-result-for-signals-on-aid-and-security/"
OPEC_ENVOYS = "/2016/11/14/opec-envoys-shuttle-between-capitals-ahead-of-vienna-output-talks/"
APEC = "/2016/11/18/apec-leaders-gather-in-lima-as-trade-s-rules-of-the-road-come-into-question/"
DUMA = "/2016/11/09/russian-lawmakers-draft-sanctions-appeal-and-eye-early-contacts-with-washington/"


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Site:
    output = tmp_path_factory.mktemp("example") / "public"
    result = build(REPO_ROOT, output, BuildOptions(now=NOW))
    site = Site(REPO_ROOT, output=output)
    site.result = result  # type: ignore[attr-defined]
    return site


def test_builds_with_no_errors(example):
    assert example.result.articles == 16
    assert example.result.drafts_left_out == 1
    assert example.result.future_left_out == 1
    plan = check(REPO_ROOT, BuildOptions(now=NOW))
    assert len(plan.index.articles) == 16


def test_source_level_disclaimer(example):
    page = example.page(SAHEL)
    assert "unofficial translation" in page.find("aside", cls="disclaimer").text
    assert page.find("p", cls="source").find("a").text == "Sahel Observer"


def test_article_key_beats_source_disclaimer(example):
    # latam-currencies-slide: an Andes Wire story (translation) that says disclaimer: fair-use
    page = example.page("/2016/11/09/peso-real-and-sol-slide-as-latin-american-markets-digest-the-us-vote/")
    text = page.find("aside", cls="disclaimer").text
    assert "fair use" in text and "unofficial translation" not in text


def test_suppressed_disclaimer(example):
    page = example.page(OPEC_ENVOYS)
    assert not page.has("aside", cls="disclaimer")
    assert page.find("p", cls="copyright").text == "Copyright © Gulf Energy Bulletin, 2016. Republished under licence."


def test_default_disclaimer(example):
    page = example.page("/2016/11/08/border-towns-tune-in-as-americans-go-to-the-polls/")
    assert "fair use" in page.find("aside", cls="disclaimer").text


def test_cross_post_via(example):
    page = example.page(APEC)
    via = page.find("p", cls="via")
    assert via.text == "Via Global Press Review."
    assert via.find("a").get("href") == "https://globalpressreview.example/2016/11/19/apec-lima-trade-rules/"
    assert page.find("p", cls="source").find("a").text == "Andes Wire"


def test_draft_and_2030_article_left_out(example):
    urls = example.urls()
    assert not any("arctic-shipping" in u for u in urls)
    assert not any(u.startswith("/2030/") for u in urls)
    assert "Fourteen years on" not in example.read("/feed.xml")
    assert "Arctic shipping" not in example.read("/feed.xml")


def test_article_dated_in_moscow_is_filed_under_new_york_day(example):
    page = example.page(DUMA)
    assert page.find("p", cls="meta").find("time").get("datetime") == "2016-11-09T17:30:00-05:00"


def test_tags_merge_and_symbols(example):
    tags = example.page("/tags/").find("ul", cls="term-index")
    counts = {li.find("a").text: li.find("span", cls="count").text for li in tags.find_all("li")}
    assert counts["Diplomacy"] == "6"  # 'Diplomacy' ×5 and 'diplomacy' ×1
    assert "diplomacy" not in counts
    assert counts["C++"] == "1" and counts["Russia & USA"] == "2"
    assert example.page("/tags/c-plus-plus/").h1 == "C++"
    assert example.page("/tags/russia-and-usa/").h1 == "Russia & USA"
    assert example.page("/regions/rossiia/").h1 == "Россия"


def test_home_leads_with_the_latest_edition_then_earlier_headlines(example):
    home = example.page("/")
    lead = home.main.find("section", cls="lead-edition")
    assert [h.text for h in lead.find_all(cls="item-title")] == [
        "OPEC agrees first output cut since 2008 as Brent jumps nearly 9%"]
    assert lead.find("p", cls="credit")  # in full: summary and credit line
    earlier = home.main.find("section", cls="earlier-editions")
    assert len(earlier.find_all("article", cls="edition-summary")) == 10  # paginate = 10 editions
    assert "The morning after the US vote" in earlier.text  # content/editions/2016-11-09.md
    assert [h.text for h in example.page("/page/2/").main.find_all("h3")] == ["Friday, November 4, 2016"]
    assert not example.exists("/page/3/")


def test_example_edition_file_shapes_its_day(example):
    page = example.page("/2016/11/09/")
    assert [h.text for h in page.main.find_all("h2", cls="section-title")] == ["Moscow and Washington",
                                                                               "Around the world"]
    assert page.main.find("aside", cls="editors-note")


def test_feeds_are_well_formed(example):
    feeds = sorted(example.output.rglob("feed.xml"))
    assert len(feeds) > 30
    for path in feeds:
        root = ET.parse(path).getroot()
        assert root.tag == f"{ATOM}feed", path
    main = ET.parse(example.output / "feed.xml").getroot()
    assert len(main.findall(f"{ATOM}entry")) == 16


def test_every_internal_link_resolves(example):
    """Every href on every page points at a page that was built."""
    broken = []
    for path in example.output.rglob("*.html"):
        page = HtmlPage.parse(path.read_text())
        for node in page.find_all():
            for attr in ("href", "src"):
                url = node.get(attr)
                if not url or not url.startswith("/") or url.startswith("//"):
                    continue
                target = url.split("#")[0].split("?")[0]
                if not example.path(target).is_file():
                    broken.append(f"{path.relative_to(example.output)}: {url}")
    assert broken == []
