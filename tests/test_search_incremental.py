"""Search across incremental builds, in Chromium: the index in shards answers as one index,
an edit or a deletion shows in the next build's results, filters narrow results across
shards, and results carry what a single Pagefind bundle of the whole site gives.

One browser context follows the site across builds, as a reader's tab would: nothing it
cached may make it search a stale index.
"""
from __future__ import annotations

import json
import subprocess
from urllib.parse import urlencode

import pytest
from conftest import Site, tree_digest

from digest.search.bundles import executable
from tests import tools
from tests.test_images import png

MID = "/2015/03/10/harbour-dredging/"
OLD = "/1998/05/04/lighthouse-keepers/"
GLACIER = "/2016/11/09/glacier-survey/"
ARTICLES = {  # three 16-year spans (1984–1999, 2000–2015, 2016–2031): three shards
    "old.md": ({"title": "Lighthouse keepers", "date": "1998-05-04", "tags": ["Coasts"],
                "source": {"name": "Lamp Gazette", "url": "https://lamp.example/keepers"}},
               "The keepers logged every quillfeather storm.\n"),
    "mid.md": ({"title": "Harbour dredging", "date": "2015-03-10", "tags": ["Ports"], "regions": ["Nordic"]},
               "Dredgers found marrowbone clay under the quay.\n"),
    "mid2.md": ({"title": "Coastal flooding", "date": "2015-06-01", "tags": ["Climate"]},
                "Seas rose over the quay.\n"),
    "new.md": ({"title": "Glacier survey", "date": "2016-11-09", "tags": ["Climate", "Arctic"],
                "regions": ["Nordic"], "summary": "Ice measured.",
                "image": {"src": "pictures/ice.png", "alt": "The glacier's snout"}},
               "Researchers measured the Jostedalsbreen glacier near the quay.\n"),
    "new2.md": ({"title": "Budget vote", "date": "2016-11-10", "tags": ["Economy"]}, "Parliament voted.\n"),
}


@pytest.fixture
def sharded(make_site) -> Site:
    site = make_site(search=True)
    site.write("content/pictures/ice.png", png(40, 21))
    for name, (front_matter, body) in ARTICLES.items():
        site.article(name, front_matter, body)
    site.build()
    assert len(json.loads((site.output / "pagefind/shards.json").read_text())["bundles"]) == 3
    return site


@pytest.fixture
def tab(browser, sharded):
    """A page of one browser context, and the URL the site is served at."""
    with tools.serve_directory(sharded.output) as base:
        context = browser.new_context()
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        yield page, base
        assert not errors, errors
        context.close()


def found(tab, words: str = "", **filters: str) -> list[str]:
    """The articles the search page lists for these words and filters, by path, sorted."""
    page, base = tab
    page.goto(f"{base}search/?{urlencode({'q': words, **filters})}")
    page.wait_for_selector("form[data-ready]")
    page.wait_for_function("document.querySelector('[data-search-status]').textContent.length > 0")
    return sorted(page.locator("[data-search-results] a").evaluate_all(
        "els => els.map(e => new URL(e.href).pathname)"))


def bundles(site: Site) -> list[str]:
    return json.loads((site.output / "pagefind/shards.json").read_text())["bundles"]


def test_an_edit_is_found_by_the_words_it_added_and_not_by_those_it_removed(sharded, tab):
    assert found(tab, "marrowbone") == [MID]
    assert found(tab, "saltpetre") == []
    untouched = {b: tree_digest(sharded.output / "pagefind" / b) for b in bundles(sharded) if "2000_2015" not in b}
    sharded.article("mid.md", ARTICLES["mid.md"][0], "Dredgers found saltpetre under the quay.\n")
    sharded.build()
    assert found(tab, "saltpetre") == [MID]
    assert found(tab, "marrowbone") == []
    assert found(tab, "quay") == sorted([MID, "/2015/06/01/coastal-flooding/", GLACIER])
    # The shards the edit did not touch are the previous build's, byte for byte.
    assert {b: tree_digest(sharded.output / "pagefind" / b) for b in untouched} == untouched


def test_a_deleted_article_disappears_from_results(sharded, tab):
    assert found(tab, "quillfeather") == [OLD]
    (sharded.root / "content/old.md").unlink()
    sharded.gone(OLD)  # a deleted article's URL is listed as gone (README: Moving or renaming an article)
    sharded.build()
    assert found(tab, "quillfeather") == []
    assert found(tab, "keepers") == []
    offered = [o.text for o in sharded.page("/search/").find("select", id="filter-sources").find_all("option")]
    assert "Lamp Gazette" not in offered  # its outlet is no longer offered as a filter


def test_a_new_article_is_found(sharded, tab):
    sharded.article("new3.md", {"title": "Ferry strike", "date": "2016-11-11"}, "Crews left the ferryboat.\n")
    sharded.build()
    assert found(tab, "ferryboat") == ["/2016/11/11/ferry-strike/"]


def test_filters_narrow_results_across_shards(tab):
    assert found(tab, tags="Climate") == sorted(["/2015/06/01/coastal-flooding/", GLACIER])
    assert found(tab, tags="Ports") == [MID]  # a value two of the shards do not have
    assert found(tab, regions="Nordic") == sorted([MID, GLACIER])
    assert found(tab, sources="Lamp Gazette") == [OLD]
    assert found(tab, "quay", tags="Climate") == sorted(["/2015/06/01/coastal-flooding/", GLACIER])
    assert found(tab, "quay", tags="Economy") == []
    assert found(tab, "quay", tags="Climate", regions="Nordic") == [GLACIER]


def test_results_carry_what_one_bundle_of_the_whole_site_gives(sharded, tab):
    """The index before shards: Pagefind run once over the whole built site."""
    whole = sharded.output / "whole"
    done = subprocess.run([str(executable()), "--site", str(sharded.output), "--output-path", str(whole),
                           "--silent"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    page, base = tab
    page.goto(f"{base}search/")
    page.wait_for_selector("form[data-ready]")
    compare = """async ([words, filters]) => {
      const answer = async (url) => {
        const pagefind = await import(url);
        await pagefind.options({ baseUrl: "/" });
        const search = await pagefind.search(words, { filters });
        const data = await Promise.all(search.results.map((r) => r.data()));
        return data.map((d) => ({ url: d.url, meta: d.meta, excerpt: d.excerpt, filters: d.filters }))
                   .sort((a, b) => a.url.localeCompare(b.url));
      };
      return [await answer("/pagefind/pagefind.js"), await answer("/whole/pagefind.js")];
    }"""
    for words, filters in [("jostedalsbreen", {}), ("quay", {}), ("dredgers", {}), (None, {"tags": "Climate"}),
                           ("glacier", {"regions": "Nordic"})]:
        sharded_results, whole_results = page.evaluate(compare, [words, filters])
        assert sharded_results == whole_results and sharded_results, (words, filters)
    (glacier,) = page.evaluate(compare, ["jostedalsbreen", {}])[0]
    assert glacier["meta"]["title"] == "Glacier survey"
    assert glacier["meta"]["image"] == "/media/pictures/ice.png"
    assert "<mark>Jostedalsbreen</mark>" in glacier["excerpt"]
    assert glacier["filters"] == {"tags": ["Climate", "Arctic"], "regions": ["Nordic"], "sources": ["Example Times"]}
