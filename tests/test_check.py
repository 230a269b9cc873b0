"""`digest check`: the build's validation plus the editors' checks, in one pass.

Errors (exit 1) and warnings (exit 0) are told apart in the text output
(`path:line: warning: field: …`) and in the JSON (`severity`); nothing is
ever written.
"""
from __future__ import annotations

import json
import re

import pytest

from digest.editor.check import run_checks

PROBLEM_LINE = re.compile(r"^(?P<path>(content/|site\.toml)[^:]*):(?P<line>\d+): (?P<warning>warning: )?"
                          r"(?P<field>[\w.\-]+): (?P<message>.+?)(?: \((?P<hint>[^()]+)\))?$")

CLEAN = {"title": "Clean", "summary": "A lede.", "tags": ["Diplomacy"]}
ONE_DISCLAIMER = {"standard": "Fair use."}


def clean_as(title: str, **fields):
    """CLEAN front matter with its own title and source URL (so no two are the same story)."""
    return {**CLEAN, "title": title, "source": {"name": "W", "url": f"https://w.example/{title}"}, **fields}


def problems(site, **options) -> list[tuple[str, int | None, str | None, str, str]]:
    """(path, line, field, message, severity) of every problem, in report order."""
    report = run_checks(site.root, site.options(**options))
    return [(p.path, p.line, p.field, p.message, p.severity) for p in (*report.errors, *report.warnings)]


def of(site, field: str, **options) -> list[tuple[str, int | None, str, str]]:
    return [(path, line, message, severity) for path, line, f, message, severity in problems(site, **options)
            if f == field]


@pytest.fixture
def clean(make_site):
    """A site whose one disclaimer is the default, so no 'unused disclaimer' warnings."""
    return make_site(disclaimers=ONE_DISCLAIMER)


# ---------------------------------------------------------------- exit codes and output


def test_clean_site(clean):
    clean.article("a.md", CLEAN)
    result = clean.cli("check")
    assert result.exit_code == 0, result.output
    assert re.match(r"OK: 1 article, \d+ pages, no problems found\.$", result.stdout), result.stdout
    assert result.stderr == ""
    assert not clean.output.exists()


def test_warnings_exit_0_and_say_warning(clean):
    clean.article("a.md", {"title": "A"})
    result = clean.cli("check")
    assert result.exit_code == 0, result.output
    assert re.match(r"OK: 1 article, \d+ pages; 2 warnings\.$", result.stdout), result.stdout
    lines = result.stderr.splitlines()
    assert lines == [
        "content/a.md:2: warning: summary: no summary (add summary: \"…\"; without one, lists and feeds "
        "show the first paragraph)",
        "content/a.md:2: warning: tags: no topics (add e.g. tags: [Diplomacy]; readers browse by them)",
    ]


def test_strict_fails_on_warnings(clean):
    clean.article("a.md", {"title": "A"})
    result = clean.cli("check", "--strict")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "2 warning(s); failing because of --strict."


def test_errors_come_first_then_warnings_then_the_summary(clean):
    clean.article("a.md", clean_as("A"), "See [b](/2016/11/09/nope/).\n")
    clean.article("b.md", {"title": "B"})
    result = clean.cli("check")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == ("content/a.md:11: body: link to a page that does not exist: /2016/11/09/nope/ "
                        "(no article, list or file of the site has this URL)")
    assert [ln.split(": ")[1] for ln in lines[1:3]] == ["warning", "warning"]
    assert lines[-1] == "1 error(s), 2 warning(s); nothing was written."
    assert all(PROBLEM_LINE.match(ln) for ln in lines[:-1]), lines
    assert not clean.output.exists()


def test_json_schema(clean):
    clean.article("a.md", {"title": "A"}, "[x](/nope/)\n")
    result = clean.cli("check", "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert set(report) == {"ok", "errors", "warnings", "articles"}
    assert report["ok"] is False and report["articles"] == 1
    keys = {"path", "line", "field", "message", "hint", "severity"}
    assert all(set(p) == keys for p in report["errors"] + report["warnings"])
    assert {p["severity"] for p in report["errors"]} == {"error"}
    assert {p["severity"] for p in report["warnings"]} == {"warning"}
    assert report["errors"][0]["line"] == 8 and report["errors"][0]["field"] == "body"


def test_json_of_a_clean_site(clean):
    clean.article("a.md", CLEAN)
    result = clean.cli("check", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"ok": True, "errors": [], "warnings": [], "articles": 1}


def test_config_errors_stop_the_other_checks(make_site):
    site = make_site(titel="typo")
    site.article("a.md", {"title": "A"})
    result = site.cli("check", "--format", "json")
    report = json.loads(result.stdout)
    assert [e["field"] for e in report["errors"]] == ["titel"]
    assert report["warnings"] == []


# ---------------------------------------------------------------- the same story twice


def test_same_source_url_twice_is_an_error_on_the_later_article(clean):
    clean.article("a.md", {**CLEAN, "source": {"name": "Wire", "url": "https://wire.example/story/"}})
    clean.article("b.md", "title: B\ndate: 2016-11-10\nsummary: s\ntags: [x]\nsource:\n  name: Wire\n"
                  "  url: http://www.wire.example/story?utm_source=twitter#top")
    assert of(clean, "source") == [(
        "content/b.md", 6, "the same original (http://www.wire.example/story?utm_source=twitter#top) "
        "is already curated in content/a.md", "error")]


def test_a_draft_duplicate_counts_too(clean):
    clean.article("a.md", CLEAN)
    clean.article("z.md", {**CLEAN, "title": "Z", "draft": "true"})  # same default source URL
    assert [p[0] for p in of(clean, "source")] == ["content/z.md"]


def test_different_query_is_a_different_story(clean):
    clean.article("a.md", clean_as("A", source={"name": "W", "url": "https://w.example/read?id=1"}))
    clean.article("b.md", clean_as("B", source={"name": "W", "url": "https://w.example/read?id=2"}))
    assert of(clean, "source") == []


# ---------------------------------------------------------------- internal links

BODY = """\
Links that land: [article](/2016/11/09/target/), [tag](/tags/diplomacy/),
[day](/2016/11/09/), [feed](/feed.xml), [relative](../target/),
[absolute](https://digest.test/2016/11/), [style](/static/style.css), [elsewhere](https://other.example/x/),
[anchor](#top), [mail](mailto:a@b.example).

A [broken one](/2016/11/08/target/) in a paragraph
that goes on, and [another](/tags/nope/) on its second line.

- a list item with ![an image](/static/missing.png)

| a | b |
|---|---|
| [in a table](https://digest.test/nope/) | x |

Without the slash: [target](/2016/11/09/target).
"""


def test_internal_links(clean):
    clean.article("target.md", clean_as("Target"))
    clean.article("a.md", "title: A\ndate: 2016-11-09\nsummary: s\ntags: [Diplomacy]\nsource:\n  name: W\n"
                  "  url: https://w.example/a", BODY)
    found = [(line, message, severity) for _, line, message, severity in of(clean, "body")]
    assert found == [
        (15, "link to a page that does not exist: /2016/11/08/target/", "error"),
        (16, "link to a page that does not exist: /tags/nope/", "error"),
        (18, "image file that does not exist: /static/missing.png", "error"),
        (22, "link to a page that does not exist: https://digest.test/nope/", "error"),
        (24, "links to /2016/11/09/target without the final '/'", "warning"),
    ]


def test_broken_link_hints(clean):
    clean.article("target.md", clean_as("Target"))
    clean.article("a.md", clean_as("A"), "[x](/2016/11/08/target/) [y](/tags/diplomcy/) [z](/2016/11/09/nope/)\n")
    report = run_checks(clean.root, clean.options())
    assert [e.hint for e in report.errors] == [
        "did you mean /2016/11/09/target/?", "no article, list or file of the site has this URL",
        "did you mean /tags/diplomacy/?"]


def test_links_with_the_base_path(make_site):
    site = make_site(base_url="https://example.org/digest/", disclaimers=ONE_DISCLAIMER)
    site.article("a.md", CLEAN, "[a](/digest/2016/11/09/clean/) [b](https://example.org/digest/tags/diplomacy/) "
                 "[c](/2016/11/09/clean/) [d](https://example.org/digest/nope/)\n")
    assert [m for _, _, m, _ in of(site, "body")] == [
        "link to a page that does not exist: https://example.org/digest/nope/"]


def test_links_to_drafts_and_scheduled_articles(clean):
    clean.article("draft.md", clean_as("Draft", draft="true"))
    clean.article("later.md", clean_as("Later", date="2030-01-01"))
    clean.article("a.md", clean_as("A"), "[d](/2016/11/09/draft/) [l](/2030/01/01/later/)\n")
    # a draft linking to a draft is fine: both go out together
    clean.article("other-draft.md", clean_as("Other", draft="true"), "[d](/2016/11/09/draft/)\n")
    report = run_checks(clean.root, clean.options())
    assert [(e.path, e.hint) for e in report.errors] == [
        ("content/a.md", "it is a draft, content/draft.md: publish it or remove the link"),
        ("content/a.md", "it is scheduled for 2030-01-01, content/later.md"),
    ]
    assert run_checks(clean.root, clean.options(drafts=True, future=True)).errors == ()


def test_links_are_checked_even_when_another_article_fails(clean):
    clean.article("broken.md", clean_as("Broken", date="nope"))
    clean.article("a.md", clean_as("A"), "[x](/2016/11/09/elsewhere/) [y](/2016/11/09/broken/)\n")
    found = problems(clean)
    assert ("content/broken.md", 3, "date", "invalid date 'nope'", "error") in found
    # the link to the article that failed to load is not blamed on a.md
    assert [(p[0], p[3]) for p in found if p[2] == "body"] == [
        ("content/a.md", "link to a page that does not exist: /2016/11/09/elsewhere/")]


# ---------------------------------------------------------------- curation gaps


def test_curation_gaps_are_warnings(clean):
    clean.article("a.md", 'title: A\ndate: 2016-11-09\ntags: []\nsummary: ""\nsource:\n  name: Wire\n'
                  "via:\n  name: Review\n", "")
    found = {(field, line, message, severity) for _, line, field, message, severity in problems(clean)}
    assert found == {
        ("tags", 4, "no topics", "warning"),
        ("summary", 5, "no summary", "warning"),
        ("body", 11, "the article has no text", "warning"),
        ("source", 6, "no url: readers cannot reach the original", "warning"),
        ("via", 8, "no url: credit the page where you found it", "warning"),
    }


def test_original_writing_needs_no_source_url(clean):
    clean.article("a.md", {**CLEAN, "source": DROP_SOURCE, "original": "true"})
    assert problems(clean) == []


from conftest import DROP as DROP_SOURCE  # noqa: E402


def test_the_main_taxonomy_is_tags_or_the_first_declared(make_site):
    site = make_site(taxonomies={"regions": "Regions", "series": "Series"}, disclaimers=ONE_DISCLAIMER)
    site.article("a.md", {"title": "A", "summary": "s"})
    assert [(f, m) for _, _, f, m, _ in problems(site)] == [("regions", "no regions")]


# ---------------------------------------------------------------- term variants


def test_spelling_variants_of_a_term(clean):
    for name, tag in (("a", "US elections 2016"), ("b", "US elections 2016"), ("c", "U.S. elections 2016"),
                      ("d", "us elections 2016")):
        clean.article(f"{name}.md", clean_as(name.upper(), tags=[tag]))
    assert of(clean, "tags") == [(
        "content/c.md", 8, "'U.S. elections 2016' and 'US elections 2016' look like one term spelled two ways; "
        "they get two pages", "warning")]


def test_dash_variants_that_would_share_a_page_are_the_builds_error(clean):
    clean.article("a.md", clean_as("A", tags=["US-Russia relations"]))
    clean.article("b.md", clean_as("B", tags=["US–Russia relations"]))
    result = clean.cli("check")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "content/b.md:8: tags: 'US–Russia relations' and 'US-Russia relations' (in content/a.md) would share "
        "the page /tags/us-russia-relations/ (spell the two terms alike if they are the same, or distinctly if not)")


# ---------------------------------------------------------------- disclaimers


def test_unused_disclaimers(site):
    site.article("a.md", CLEAN)
    text = (site.root / "site.toml").read_text().splitlines()
    line = next(i for i, ln in enumerate(text, 1) if ln.startswith("translation ="))
    assert ("site.toml", line, "disclaimers.translation", "no article, outlet or default uses this disclaimer",
            "warning") in problems(site)
    site.article("b.md", clean_as("B", disclaimer="translation"))
    assert [p[2] for p in problems(site) if p[0] == "site.toml"] == ["disclaimers.opinion"]


def test_a_disclaimer_used_by_an_outlet_is_used(make_site):
    site = make_site(sources={"Example Times": {"disclaimer": "opinion"}},
                     disclaimers={"standard": "S.", "opinion": "O."})
    site.article("a.md", CLEAN)
    assert [p for p in problems(site) if p[0] == "site.toml"] == []


def test_unused_disclaimers_are_not_judged_while_an_article_fails(site):
    site.article("a.md", clean_as("A", date="nope"))
    assert [p for p in problems(site) if p[0] == "site.toml"] == []


# ---------------------------------------------------------------- unfinished imports


def test_unfinished_import_items_are_errors_at_their_lines(clean):
    clean.article("a.md", "title: A\ndate: 2016-11-09\nsummary: s\ntags: [x]\nsource:\n  name: Wire\n"
                  "  url: https://w.example/a\ndraft: true\nextra:\n  import_todo:\n"
                  '    - "source.url: no link to the original article"\n    - check the figures\n')
    assert [(p[1], p[2], p[3]) for p in problems(clean)] == [
        (12, "source.url", "unfinished import: no link to the original article"),
        (13, "extra.import_todo", "unfinished import: check the figures"),
    ]
    assert clean.cli("check").exit_code == 1
    clean.build()  # a draft: the build leaves it out and does not fail


def test_a_published_article_with_import_todos_gets_a_build_warning(clean):
    from digest.editor.todo import published_warnings
    from digest.site.articles import load_article
    from digest.site.config import load_config

    path = clean.article("a.md", "title: A\ndate: 2016-11-09\nsource: Wire\nextra:\n  import_todo: [\"source.url: x\"]")
    article = load_article(path.read_bytes(), "content/a.md", load_config(clean.root))
    [warning] = published_warnings(article)
    expected = ("content/a.md:5: warning: extra.import_todo: published with 1 unfinished import item(s): "
                "source.url: x (finish them and delete the list; `digest check` lists each one)")
    assert str(warning) == expected
    # `digest build` prints it, on a rebuild with nothing to do too, and still builds
    for _ in range(2):
        result = clean.cli("build", "--output", str(clean.output))
        assert result.exit_code == 0, result.output
        assert expected in result.stderr
    assert (clean.output / "2016" / "11" / "09" / "a" / "index.html").exists()
