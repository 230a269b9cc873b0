"""Takedowns: `removed` leaves a neutral notice at the article's URL and no trace anywhere else
(pages, feeds, sitemaps, the search index, the picture), in clean and incremental builds;
`digest takedown` edits one line of the file; `digest check` warns about links to it."""
from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest
from conftest import REPO_ROOT, Site, tree_digest

from digest.site.pipeline import build

TITLE = "Quorvexian accord collapses in Zembla"
PHRASE = "the frumtastic memorandum of Plovdiv"  # a distinctive phrase of the body
OUTLET = "Zemblan Courier"
URL = "/2016/11/10/quorvexian-accord-collapses-in-zembla/"
FRONT = (f'title: "{TITLE}"\n'
         "date: 2016-11-10  # filed late\n"
         "tags: [Diplomacy, Zembla]\n"
         f"source:\n  name: {OUTLET}\n  url: https://courier.example/accord\n"
         "image: {src: chart.png, alt: \"A chart of the accord's votes\"}\n")
BODY = f"Negotiators signed {PHRASE} on Tuesday.\n\nThe Xyloquent delegation walked out.\n"
TRACES = (TITLE.lower(), PHRASE.lower(), "xyloquent")  # the title, a phrase and a word of the body


def found_in(output: Path, token: str) -> list[str]:
    """Every output file holding `token` (any case); gzip files (Pagefind's) decompressed first."""
    hits = []
    for path in sorted(output.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        if token.encode() in data.lower():
            hits.append(path.relative_to(output).as_posix())
    return hits


def populate(site: Site) -> None:
    shutil.copy(REPO_ROOT / "content/2016/11/opec-output-cut.png", site.root / "content/chart.png")
    site.article("accord.md", FRONT, BODY)
    site.article("other.md", {"title": "Diplomats meet again", "date": "2016-11-11", "tags": ["Diplomacy"]},
                 f"Talks resumed after [the earlier collapse]({URL}).\n")
    site.article("third.md", {"title": "Markets steady", "date": "2016-11-09", "tags": ["Diplomacy"],
                              "source": {"name": "Example Times", "url": "https://times.example/m"}})


def take_down(site: Site) -> None:
    path = site.root / "content/accord.md"
    text = path.read_text()
    path.write_text(text.replace("---\nNegotiators", 'removed: {date: 2016-12-01, reason: "Removed at the '
                                 'request of the copyright holder."}\n---\nNegotiators'))


@pytest.fixture
def searchable(make_site) -> Site:
    site = make_site(search=True)
    populate(site)
    return site


def test_a_takedown_leaves_no_trace_but_the_notice(searchable):
    site = searchable
    site.build()
    for trace in TRACES:  # the search index holds them before: the grep can see into it
        assert any(f.startswith("pagefind/") for f in found_in(site.output, trace)), trace
    assert site.exists("/media/chart.png") and site.exists("/tags/zembla/")
    take_down(site)
    site.build()
    assert found_in(site.output, TITLE.lower()) == [URL.lstrip("/") + "index.html"]
    assert found_in(site.output, PHRASE.lower()) == [] and found_in(site.output, "xyloquent") == []
    assert found_in(site.output, OUTLET.lower()) == [URL.lstrip("/") + "index.html"]
    assert not site.exists("/media/chart.png")
    assert not site.exists("/tags/zembla/") and not site.exists("/sources/zemblan-courier/")
    assert '<a href="/tags/diplomacy/">Diplomacy</a> <span class="count">2</span>' in site.read("/tags/")
    assert URL not in site.read("/sitemap.xml")


def test_the_notice_is_neutral_and_not_indexed(searchable):
    site = searchable
    take_down(site)
    site.build()
    page = site.read(URL)
    assert '<meta name="robots" content="noindex">' in page
    assert f"<h1>{TITLE}</h1>" in page and OUTLET in page and "November 10, 2016" in page
    assert "Removed at the request of the copyright holder." in page and "December 1, 2016" in page
    assert "<img" not in page and "data-pagefind-body" not in page and "ld+json" not in page


def test_restoring_brings_everything_back(searchable, tmp_path):
    site = searchable
    site.build()
    before = site.tree()
    path = site.root / "content/accord.md"
    original = path.read_bytes()
    take_down(site)
    site.build()
    path.write_bytes(original)
    site.build()
    assert site.tree() == before


def test_taking_down_and_restoring_incrementally_equals_a_clean_build(make_site, tmp_path):
    site = make_site()
    populate(site)
    site.article("late.md", {"title": "Late", "date": "2016-11-12",
                             "corrections": [{"date": "2016-11-13", "text": "Fixed."}]})
    site.build()
    path = site.root / "content/accord.md"
    original = path.read_bytes()
    for step in ("take down", "restore", "take down", "new reason"):
        if step == "restore":
            path.write_bytes(original)
        elif step == "new reason":
            path.write_text(path.read_text().replace("copyright holder", "court"))
        else:
            take_down(site)
        site.build()
        clean = tmp_path / f"clean-{step}"
        build(site.root, clean, site.options(), cache=False)
        assert site.tree() == tree_digest(clean), step


def test_digest_takedown_edits_one_line_and_rebuilds(make_site):
    site = make_site()
    populate(site)
    path = site.root / "content/accord.md"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))  # CRLF kept as it is
    before = path.read_bytes()
    ran = site.cli("takedown", "content/accord.md", "--reason", 'At the "owner\'s" request')
    assert ran.exit_code == 0, ran.stderr
    after = path.read_bytes()
    head, tail = before.split(b"---\r\nNegotiators")
    assert after.startswith(head) and after.endswith(b"---\r\nNegotiators" + tail)
    added = after[len(head):-len(b"---\r\nNegotiators" + tail)].decode()
    assert added.startswith("removed: {date: 20") and added.endswith(
        ', reason: "At the \\"owner\'s\\" request"}\r\n')
    assert "At the &#34;owner&#39;s&#34; request" in site.read(URL)
    ran = site.cli("takedown", "content/accord.md", "--reason", "Second reason")
    assert ran.exit_code == 0, ran.stderr
    again = path.read_bytes()
    assert again.count(b"removed:") == 1 and b"Second reason" in again and again.startswith(head)


def test_digest_takedown_needs_a_reason(make_site):
    site = make_site()
    populate(site)
    ran = site.cli("takedown", "content/accord.md", "--reason", " ")
    assert ran.exit_code == 1 and "content/accord.md:1: removed.reason: a takedown needs a reason" in ran.stderr


def test_check_warns_about_links_to_a_removed_article(make_site):
    site = make_site()
    populate(site)
    take_down(site)
    ran = site.cli("check")
    assert ran.exit_code == 0, ran.stderr
    assert f"content/other.md:10: warning: body: links to {URL}, an article taken down (content/accord.md) " \
           "(remove the link, or say in the text that the article was removed)" in ran.stderr


def test_bad_removed_is_reported(site):
    site.article("a.md", {"removed": {"date": "soon", "reason": ""}})
    errors = site.build_errors()
    assert any("removed.date: invalid date 'soon'" in e for e in errors), errors
    assert any("removed.reason: must not be empty" in e for e in errors), errors


def test_an_article_named_by_its_edition_file_is_taken_down_all_the_same(make_site, tmp_path):
    """The edition file still lists the slug: the takedown must not stop the build; the edition
    drops it quietly, and a day left with nothing but taken-down articles is no error either."""
    site = make_site()
    populate(site)
    site.write("content/editions/2016-11-10.md",
               "---\ntitle: Accord day\nsections:\n  - title: Talks\n    articles: [quorvexian-accord-collapses-in-zembla]\n---\n")
    site.build()
    assert TITLE in site.read("/2016/11/10/")
    take_down(site)
    site.build()  # no error
    assert found_in(site.output, TITLE.lower()) == [URL.lstrip("/") + "index.html"]
    site.build(tmp_path / "clean")
    assert site.tree() == tree_digest(tmp_path / "clean")
