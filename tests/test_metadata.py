"""News metadata: OpenGraph, Twitter cards, schema.org JSON-LD and the canonical policy."""
from __future__ import annotations

import json

import pytest
from conftest import BASE_URL, DROP

ARTICLE = {
    "title": "Peso, real & sol slide",
    "date": "2016-11-09T16:00:00+00:00",
    "updated": "2016-11-10T08:00:00Z",
    "summary": "Latin American currencies fell.",
    "authors": ["Camila Rojas", "Andes Wire"],
    "tags": ["Markets", "Trade"],
    "regions": ["Latin America"],
    "source": {"name": "Andes Wire", "url": "https://andeswire.example/peso"},
    "copyright": "Copyright © Andes Wire, 2016",
}
URL = "/2016/11/09/peso-real-and-sol-slide/"
OWN = BASE_URL + URL.lstrip("/")


def jsonld(page) -> list[dict]:
    return [json.loads(s.children[0]) for s in page.find_all("script", type="application/ld+json")]


def og(page) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for meta in page.find_all("meta"):
        key = meta.get("property") or meta.get("name")
        if key and key.startswith(("og:", "article:", "twitter:")):
            found.setdefault(key, []).append(meta.get("content") or "")
    return found


@pytest.fixture
def page(site):
    site.article("peso.md", ARTICLE)
    site.build()
    return site.page(URL)


def test_news_article_json_ld(page):
    (data,) = jsonld(page)
    assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
    assert data["headline"] == "Peso, real & sol slide"
    assert data["description"] == "Latin American currencies fell."
    assert data["datePublished"] == "2016-11-09T11:00:00-05:00"
    assert data["dateModified"] == "2016-11-10T03:00:00-05:00"
    # A byline naming the outlet is an organization; the others are people.
    assert data["author"] == [{"@type": "Person", "name": "Camila Rojas"},
                              {"@type": "Organization", "name": "Andes Wire"}]
    assert data["publisher"] == {"@type": "Organization", "name": "Test Digest", "url": BASE_URL}
    assert data["isBasedOn"] == "https://andeswire.example/peso"
    assert data["keywords"] == ["Markets", "Trade", "Latin America"]
    assert data["url"] == data["mainEntityOfPage"] == OWN
    assert data["copyrightNotice"] == "Copyright © Andes Wire, 2016"
    assert "image" not in data


def test_open_graph_and_twitter(page):
    tags = og(page)
    assert tags["og:type"] == ["article"]
    assert tags["og:title"] == ["Peso, real & sol slide"]
    assert tags["og:description"] == ["Latin American currencies fell."]
    assert tags["og:site_name"] == ["Test Digest"]
    assert tags["og:url"] == ["https://andeswire.example/peso"]  # the canonical URL
    assert tags["article:published_time"] == ["2016-11-09T11:00:00-05:00"]
    assert tags["article:tag"] == ["Markets", "Trade", "Latin America"]
    assert tags["twitter:card"] == ["summary"]
    assert tags["twitter:title"] == ["Peso, real & sol slide"]


def test_republished_article_is_canonical_at_its_source(page):
    assert page.find("link", rel="canonical").get("href") == "https://andeswire.example/peso"


def test_canonical_self_policy(make_site):
    site = make_site(canonical="self")
    site.article("peso.md", ARTICLE)
    site.build()
    page = site.page(URL)
    assert page.find("link", rel="canonical").get("href") == OWN
    assert og(page)["og:url"] == [OWN]


def test_source_without_url_is_canonical_at_itself(site):
    site.article("a.md", {**ARTICLE, "source": {"name": "Wire Service"}})
    site.build()
    page = site.page(URL)
    assert page.find("link", rel="canonical").get("href") == OWN
    data = jsonld(page)[0]
    assert "isBasedOn" not in data
    assert data["sourceOrganization"] == {"@type": "Organization", "name": "Wire Service"}


def test_original_piece_is_canonical_at_itself_and_authored_by_the_digest(site):
    site.article("a.md", {"title": "Our note", "original": "true", "source": DROP})
    site.build()
    page = site.page("/2016/11/09/our-note/")
    assert page.find("link", rel="canonical").get("href") == BASE_URL + "2016/11/09/our-note/"
    data = jsonld(page)[0]
    assert data["author"] == [{"@type": "Organization", "name": "Test Digest", "url": BASE_URL}]
    assert "isBasedOn" not in data and "sourceOrganization" not in data


def test_home_page_has_website_json_ld_with_search_action(make_site):
    site = make_site(search=True)
    site.article("a.md", ARTICLE)
    site.build()
    (data,) = jsonld(site.page("/"))
    assert data["@type"] == "WebSite" and data["name"] == "Test Digest" and data["url"] == BASE_URL
    action = data["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["target"]["urlTemplate"] == BASE_URL + "search/?q={query}"
    # Only the home page carries the site's JSON-LD; lists get plain OpenGraph.
    assert not jsonld(site.page("/tags/markets/"))
    assert og(site.page("/tags/markets/"))["og:type"] == ["website"]


def test_website_json_ld_has_no_search_action_when_search_is_off(site):
    site.article("a.md", ARTICLE)
    site.build()
    assert "potentialAction" not in jsonld(site.page("/"))[0]


def test_json_ld_cannot_be_closed_by_article_text(site):
    site.article("a.md", {**ARTICLE, "title": "</script><script>alert(1)</script>",
                          "summary": "a <!-- b & c"})
    site.build()
    html = site.read("/2016/11/09/script-script-alert-1-script/")
    script = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in script and ">" not in script
    assert json.loads(script)["headline"] == "</script><script>alert(1)</script>"


def test_404_page_has_no_link_preview_tags(site):
    site.article("a.md", ARTICLE)
    site.build()
    assert not og(site.page("/404.html"))
