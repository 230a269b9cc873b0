"""Outlet policies, `[sources."Name"]` domains, policy and excerpt_words: enforced by the build and
`digest check` as errors in the project's format, all of a build's together; `digest new` and the
importer take the outlet from a URL on one of its domains."""
from __future__ import annotations

import pytest

from digest.editor.catalog import scan
from digest.editor.new import outlet_for_url
from digest.errors import BuildFailed
from digest.site.config import load_config

SOURCES = {
    "Example Times": {"domains": ["times.example"], "policy": "excerpt", "excerpt_words": 12},
    "Wire": {"domains": ["wire.example", "wire-news.example"], "policy": "link"},
    "Open Press": {"domains": ["openpress.example"]},
}
TWELVE = "One two three four five six seven eight nine ten eleven twelve.\n"


@pytest.fixture
def policed(make_site):
    return make_site(sources=SOURCES)


def line_of(path, prefix: str) -> int:
    return next(n for n, text in enumerate(path.read_text().splitlines(), 1) if text.lstrip().startswith(prefix))


def test_articles_within_their_outlets_policies_build(policed):
    policed.article("excerpt.md", {"title": "Excerpt", "source": {"name": "Example Times",
                                                                  "url": "https://www.times.example/a"}}, TWELVE)
    policed.article("link.md", {"title": "Linked", "summary": "A wire story, in our words.",
                                "source": {"name": "Wire", "url": "https://wire-news.example/b"}}, "")
    policed.article("full.md", {"title": "Full", "source": {"name": "Open Press",
                                                            "url": "https://openpress.example/c"}}, TWELVE * 40)
    policed.build()
    linked = policed.page("/2016/11/09/linked/")
    assert "A wire story, in our words." in linked.source and linked.find("a", href="https://wire-news.example/b")
    assert TWELVE.strip() in policed.read("/2016/11/09/excerpt/")


def test_every_breach_is_an_error_and_all_come_together(policed):
    wrong_host = policed.article("host.md", {"title": "Host", "source": {
        "name": "Open Press", "url": "https://openpress.example.evil.test/x"}}, "Short.\n")
    long = policed.article("long.md", {"title": "Long", "source": {"name": "Example Times",
                                                                   "url": "https://times.example/l"}},
                           TWELVE + "Thirteen fourteen.\n")
    bodied = policed.article("bodied.md", {"title": "Bodied", "source": {"name": "Wire",
                                                                         "url": "https://wire.example/w"}},
                             "Three words here.\n")
    expected = sorted([
        f"content/host.md:{line_of(wrong_host, 'url:')}: source.url: openpress.example.evil.test is not a domain "
        "of Open Press (openpress.example) (check the outlet's name and the URL, or add the host to domains "
        "in site.toml [sources.\"Open Press\"])",
        f"content/long.md:{line_of(long, 'One two')}: body: the body has 14 words; Example Times allows "
        "excerpts of 12 (cut the body by 2 words and link to the rest)",
        f"content/bodied.md:{line_of(bodied, 'Three')}: body: Wire allows a link only, and the body has 3 words "
        "(delete the body: the summary and the link to the source are published)",
        f"content/bodied.md:{line_of(bodied, 'source:')}: summary: required: Wire allows a link only, shown with "
        "this summary (write the lede in your own words: summary: \"…\")",
    ])
    assert sorted(policed.build_errors()) == expected
    with pytest.raises(BuildFailed) as checked:  # digest check: the same errors
        policed.check()
    assert sorted(str(e) for e in checked.value.errors) == expected


@pytest.mark.parametrize(("table", "message"), [
    ({"policy": "some"}, "policy: must be one of 'full', 'excerpt', 'link'"),
    ({"policy": "excerpt"}, "policy: excerpt_words goes with policy = \"excerpt\", and only with it"),
    ({"excerpt_words": 50}, "excerpt_words: excerpt_words goes with policy = \"excerpt\", and only with it"),
    ({"domains": "times.example"}, "domains: must be a list of host names"),
    ({"domains": ["https://times.example/"]}, "domains: must be a list of host names"),
])
def test_bad_policies_are_config_errors(make_site, table, message):
    site = make_site(sources={"Example Times": table})
    errors = site.build_errors()
    assert len(errors) == 1 and errors[0].startswith("site.toml:") and message in errors[0], errors


def test_the_outlet_comes_from_a_url_on_its_domains(policed):
    config = load_config(policed.root)
    catalog = scan(config)
    assert outlet_for_url("https://news.wire-news.example/story", config, catalog) == "Wire"
    assert outlet_for_url("https://times.example/a", config, catalog) == "Example Times"
    assert outlet_for_url("https://elsewhere.example/a", config, catalog) is None
