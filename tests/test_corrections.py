"""Corrections: the note above the body, `updated` and the feeds, JSON-LD, /corrections/ and its feed,
and the errors of a bad `corrections:` list, each at its own line."""
from __future__ import annotations

import json
import re
import subprocess
import xml.etree.ElementTree as ET

import pytest

from tests import tools

ATOM = "{http://www.w3.org/2005/Atom}"
URL = "/2016/11/09/an-article/"
CORRECTIONS = [{"date": "2016-11-12", "text": "An earlier version misnamed the minister: he is **Sergei Lavrov**."},
               {"date": "2016-11-10T08:00:00Z", "text": "The summit is in *Lima*, not Quito."}]


@pytest.fixture
def corrected(site):
    site.article("a.md", {"corrections": CORRECTIONS}, "The body, first paragraph.\n")
    site.article("b.md", {"title": "Other", "date": "2016-11-11",
                          "corrections": [{"date": "2016-11-11T12:00:00Z", "text": "A typo."}]})
    site.article("c.md", {"title": "Plain", "date": "2016-11-08"})
    site.build()
    return site


def test_the_note_stands_above_the_body_oldest_first(corrected):
    html = corrected.read(URL)
    note = html[html.index('<aside class="corrections"'):html.index("</aside>")]
    assert ">Corrections</h2>" in note
    assert note.index("Lima") < note.index("Lavrov")
    assert '<strong>Sergei Lavrov</strong>' in note and 'id="correction-2"' in note
    assert '<time datetime="2016-11-12T00:00:00-05:00">November 12, 2016</time>' in note
    assert html.index('class="corrections"') < html.index('class="article-body"')
    single = corrected.read("/2016/11/11/other/")
    assert ">Correction</h2>" in single
    assert 'class="corrections"' not in corrected.read("/2016/11/08/plain/")


def test_updated_and_json_ld_move_to_the_latest_correction(corrected):
    page = corrected.read(URL)
    assert "Updated <time datetime=\"2016-11-12T00:00:00-05:00\">" in page
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page).group(1))
    assert data["dateModified"] == "2016-11-12T00:00:00-05:00"
    assert data["correction"] == [
        {"@type": "CorrectionComment", "text": "The summit is in Lima, not Quito.",
         "datePublished": "2016-11-10T03:00:00-05:00"},
        {"@type": "CorrectionComment", "text": "An earlier version misnamed the minister: he is Sergei Lavrov.",
         "datePublished": "2016-11-12T00:00:00-05:00"}]
    feed = ET.fromstring(corrected.read("/feed.xml"))
    entry = next(e for e in feed.iter(f"{ATOM}entry") if e.findtext(f"{ATOM}title") == "An article")
    assert entry.findtext(f"{ATOM}updated") == "2016-11-12T00:00:00-05:00"
    assert feed.findtext(f"{ATOM}updated") == "2016-11-12T00:00:00-05:00"
    assert f"<loc>https://digest.test{URL}</loc><lastmod>2016-11-12</lastmod>" in corrected.read("/sitemap.xml")


def test_a_later_updated_wins(site):
    site.article("a.md", {"updated": "2016-11-20", "corrections": CORRECTIONS})
    site.build()
    assert 'Updated <time datetime="2016-11-20T00:00:00-05:00">' in site.read(URL)


def test_corrections_page_lists_every_correction_newest_first(corrected):
    html = corrected.read("/corrections/")
    order = [html.index(t) for t in ("Sergei Lavrov", "A typo.", "Lima")]
    assert order == sorted(order)
    assert f'href="{URL}#correction-1"' in html and f'href="{URL}#correction-2"' in html
    assert '<link rel="alternate" type="application/atom+xml" title="Test Digest: Corrections" ' \
           'href="/corrections/feed.xml">' in html
    assert 'href="/corrections/"' in corrected.read("/")  # every page's footer links it
    feed = ET.fromstring(corrected.read("/corrections/feed.xml"))
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}id") for e in entries] == [
        f"https://digest.test{URL}#correction-2", "https://digest.test/2016/11/11/other/#correction-1",
        f"https://digest.test{URL}#correction-1"]
    assert feed.findtext(f"{ATOM}updated") == "2016-11-12T00:00:00-05:00"
    assert "<strong>Sergei Lavrov</strong>" in entries[0].findtext(f"{ATOM}content")
    assert "https://digest.test/corrections/" in corrected.read("/sitemap.xml")


def test_no_corrections_yet(site):
    site.article("a.md", {})
    site.build()
    assert "No corrections yet." in site.read("/corrections/")
    assert ET.fromstring(site.read("/corrections/feed.xml")).find(f"{ATOM}entry") is None


def test_corrections_feed_is_valid_atom(corrected):
    jing = tools.jing_path()
    feeds = [str(corrected.path("/corrections/feed.xml")), str(corrected.path("/feed.xml"))]
    result = subprocess.run([jing, "-c", str(tools.SCHEMAS_DIR / "atom.rnc"), *feeds],
                            capture_output=True, text=True, timeout=300)
    problems = [line for line in (result.stdout + result.stderr).splitlines()
                if line.strip() and not line.startswith("[warning] ")]
    assert result.returncode == 0 and not problems, problems


def test_bad_corrections_are_reported_at_their_lines(site):
    site.article("a.md", "\n".join([
        'title: "A"', "date: 2016-11-09", "source: {name: Example Times}", "corrections:",
        "  - date: 2016-11-12", '    text: "Fine."',
        "  - date: 2016-11-01", '    text: "Before the article."',
        "  - {date: someday, text: \"\"}",
        "  - just text",
        "  - {date: 2016-11-13, text: ok, by: me}"]))
    errors = site.build_errors()
    assert errors == [
        "content/a.md:8: corrections[2].date: '2016-11-01' is before the article's date '2016-11-09' "
        "(a correction is made after publishing: check the year and month)",
        "content/a.md:10: corrections[3].date: invalid date 'someday' "
        "(use YYYY-MM-DD or an ISO 8601 datetime, between years 1 and 9999)",
        'content/a.md:10: corrections[3].text: must not be empty (text: "…")',
        'content/a.md:11: corrections[4]: must be a mapping with date and text (- {date: 2016-11-10, text: "…"})',
        "content/a.md:12: corrections[5].by: unknown key (corrections takes date, text)",
    ]


def test_corrections_have_an_rss_twin_when_the_site_asks(make_site):
    import feedparser

    site = make_site(rss=True)
    site.article("a.md", {"corrections": CORRECTIONS})
    site.build()
    parsed = feedparser.parse(site.read("/corrections/rss.xml").encode())
    assert parsed.bozo == 0 and parsed.version == "rss20"
    assert [e.link for e in parsed.entries] == [f"https://digest.test{URL}#correction-2",
                                                 f"https://digest.test{URL}#correction-1"]
    assert 'href="/corrections/rss.xml"' in site.read("/corrections/")
