"""Static search: Pagefind indexes the build before it goes live; the search page works in
Chromium (a word of an article's body, then a tag filter) and says something useful without JavaScript.
The index's shards: tests/test_search_index.py, test_search_shards.py; in Chromium across builds:
test_search_incremental.py."""
from __future__ import annotations

import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import pytest

from tests import tools

ARTICLE = {"title": "Glacier survey", "tags": ["Climate", "Arctic"], "regions": ["Nordic"]}


@pytest.fixture
def searchable(make_site):
    site = make_site(search=True)
    site.article("a.md", ARTICLE, "Researchers measured the Jostedalsbreen glacier.\n")
    site.article("b.md", {"title": "Budget vote", "tags": ["Economy"]}, "Parliament voted.\n")
    site.build()
    return site


def test_index_and_search_page_are_published(searchable):
    assert (searchable.output / "pagefind/pagefind.js").is_file()  # what pages import: it merges the shards
    (bundle,) = json.loads((searchable.output / "pagefind/shards.json").read_text())["bundles"]
    assert (searchable.output / "pagefind" / bundle / "pagefind-entry.json").is_file()
    page = searchable.page("/search/")
    assert page.h1 == "Search"
    nav = page.find("nav", cls="site-nav")
    assert nav.links()["Search"] == "/search/"


def test_articles_mark_what_is_indexed_and_filtered(searchable):
    page = searchable.page("/2016/11/09/glacier-survey/")
    assert "data-pagefind-body" in page.find("article", cls="article").attrs
    filters = {(a.get("data-pagefind-filter"), a.text) for a in page.find_all("a") if a.get("data-pagefind-filter")}
    assert filters == {("tags", "Climate"), ("tags", "Arctic"), ("regions", "Nordic"),
                       ("sources", "Example Times")}
    assert "data-pagefind-ignore" in page.find("aside", cls="disclaimer").attrs
    # List pages are not indexed: only pages with data-pagefind-body are.
    assert "data-pagefind-body" not in searchable.read("/")


def test_search_page_without_javascript(searchable):
    page = searchable.page("/search/")
    form = page.find("form", role="search")
    assert form.get("action") == "https://duckduckgo.com/" and form.get("method") == "get"
    assert form.find("input", type="search").get("name") == "q"
    assert form.find("input", type="hidden").get("value") == "digest.test"
    assert form.find("label").get("for") == form.find("input", type="search").get("id")
    # The filters need the index, so they stay hidden until the script shows them.
    assert "hidden" in form.find("fieldset").attrs
    options = {s.get("name"): [o.text for o in s.find_all("option")] for s in form.find_all("select")}
    assert options == {"tags": ["Any", "Arctic", "Climate", "Economy"], "regions": ["Any", "Nordic"],
                       "sources": ["Any", "Example Times"]}
    browse = page.find("section", cls="browse").links()
    assert browse == {"All topics": "/tags/", "All regions": "/regions/", "All sources": "/sources/",
                      "Latest articles": "/"}


def test_search_off(site):
    site.article("a.md", ARTICLE)
    site.build()
    assert not site.exists("/search/")
    assert not (site.output / "pagefind/pagefind.js").exists()
    assert "Search" not in site.page("/").find("nav", cls="site-nav").links()


def test_pagefind_failure_fails_the_build_and_keeps_the_old_site(searchable, monkeypatch):
    before = searchable.tree()
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/bin/false")
    searchable.article("c.md", {"title": "New one"})
    errors = searchable.build_errors()
    assert len(errors) == 1 and errors[0].startswith("site.toml: search: Pagefind failed"), errors
    assert searchable.tree() == before


def test_index_is_rebuilt_not_accumulated(searchable):
    searchable.article("c.md", {"title": "Third", "date": "2016-11-10"}, "Another glacier.\n")
    searchable.build()
    searchable.article("c.md", {"title": "Third", "date": "2016-11-10"}, "Changed text.\n")
    searchable.build()
    index = searchable.output / "pagefind"
    listed = [b.rstrip("/") for b in json.loads((index / "shards.json").read_text())["bundles"]]
    assert sorted(p.name for p in index.iterdir() if p.is_dir()) == listed
    metas = list(index.glob("*/pagefind.*.pf_meta"))
    assert len(metas) == 1, metas


# ---------------------------------------------------------------- in Chromium, on the example site


class _ArticleFacts(HTMLParser):
    """Body text and tag names of a built article page."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[str] = []
        self.depth = 0
        self._tag = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "data-pagefind-body" in attrs:
            self.depth = 1
        elif self.depth:
            self.depth += 1
        self._tag = attrs.get("data-pagefind-filter") == "tags"

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1
        self._tag = False

    def handle_data(self, data):
        if self.depth:
            self.text.append(data)
        if self._tag:
            self.tags.append(data.strip())


def _articles(site: Path) -> dict[str, _ArticleFacts]:
    found = {}
    for path in site.rglob("index.html"):
        html = path.read_text("utf-8")
        if "data-pagefind-body" in html:
            facts = _ArticleFacts()
            facts.feed(html)
            found["/" + path.parent.relative_to(site).as_posix() + "/"] = facts
    return found


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    prebuilt = os.environ.get("DIGEST_CLIENTS_SITE")
    return Path(prebuilt).resolve() if prebuilt else tools.build_example(tmp_path_factory.mktemp("search"))


def _results(page) -> list[str]:
    page.wait_for_function("document.querySelector('[data-search-status]').textContent.length > 0")
    return page.locator("[data-search-results] a").evaluate_all("els => els.map(e => new URL(e.href).pathname)")


def test_search_in_chromium_finds_a_body_word_then_filters_by_tag(example, browser):
    articles = _articles(example)
    word, tag = "Vienna", "Markets"
    having = {url for url, f in articles.items() if re.search(rf"\b{word}\b", " ".join(f.text))}
    tagged = {url for url in having if tag in articles[url].tags}
    assert having and tagged and having - tagged, "the example site no longer suits this test"
    with tools.serve_directory(example) as base:
        context = browser.new_context()
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(urljoin(base, "search/"))
        page.wait_for_selector("form[data-ready]")
        assert page.locator("[data-search-filters]").is_visible()
        page.fill("#search-query", word.lower())
        page.keyboard.press("Enter")
        found = _results(page)
        assert having <= set(found), found
        assert "found" in page.locator("[data-search-status]").inner_text()

        page.select_option("#filter-tags", tag)
        page.wait_for_function("() => new URLSearchParams(location.search).get('tags') === 'Markets'")
        page.wait_for_function(
            "n => document.querySelectorAll('[data-search-results] a').length === n", arg=len(tagged))
        assert set(_results(page)) == tagged
        # The state is in the URL: a reload (or a shared link) shows the same results.
        page.reload()
        page.wait_for_selector("form[data-ready]")
        assert set(_results(page)) == tagged
        assert page.input_value("#search-query") == word.lower()
        # Results lead to the articles.
        page.locator("[data-search-results] a").first.click()
        page.wait_for_load_state()
        assert "/" + page.url[len(base):] in tagged
        assert not errors, errors
        context.close()


def test_search_page_without_javascript_in_chromium(example, browser):
    with tools.serve_directory(example) as base:
        context = browser.new_context(java_script_enabled=False)
        page = context.new_page()
        page.goto(urljoin(base, "search/"))
        assert page.locator("#search-query").is_visible()
        assert not page.locator("[data-search-filters]").is_visible()
        assert page.locator(".search-note").is_visible()
        assert page.locator(".browse a").count() >= 3
        context.close()


def test_result_excerpts_do_not_repeat_the_title(example, browser):
    """The result's heading is its title; the excerpt under it is the text after the title,
    with the matched words marked (Pagefind's own excerpt ran the title into the body)."""
    with tools.serve_directory(example) as base:
        page = browser.new_page()
        page.goto(urljoin(base, "search/?q=moscow"))
        _results(page)
        page.wait_for_function("document.querySelectorAll('[data-search-results] .summary').length > 0")
        shown = page.locator("[data-search-results] article").evaluate_all(
            "els => els.map(e => [e.querySelector('.item-title').textContent, e.querySelector('.summary').textContent,"
            " [...e.querySelectorAll('.summary mark')].map(m => m.textContent)])")
        page.close()
    assert len(shown) >= 3
    for title, excerpt, marks in shown:
        assert not excerpt.lstrip("… ").startswith(title.split()[0] + " " + title.split()[1]), (title, excerpt)
        assert title not in excerpt
        assert all(m.lower().startswith("moscow") for m in marks), marks
    assert any(marks for _, _, marks in shown)
