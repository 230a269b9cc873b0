"""Editions: the day pages, edition files and their errors, the home page, the archive links,
the editions feed (jing) and `digest new --edition`."""
from __future__ import annotations

import json
import subprocess
import xml.etree.ElementTree as ET

import pytest

from tests import tools

ATOM = "{http://www.w3.org/2005/Atom}"
DAY = "/2016/11/09/"


@pytest.fixture
def day(site):
    site.article("a.md", {"title": "Alpha", "slug": "alpha", "date": "2016-11-09T09:00:00Z", "tags": ["Trade", "Oil"],
                          "via": {"name": "Wire Digest", "url": "https://wire.example/"}, "copyright": "© Times"})
    site.article("b.md", {"title": "Beta", "slug": "beta", "date": "2016-11-09T10:00:00Z", "tags": ["Trade"]})
    site.article("c.md", {"title": "Gamma", "slug": "gamma", "date": "2016-11-09T11:00:00Z", "tags": ["Arts"]})
    site.article("d.md", {"title": "Delta", "slug": "delta", "date": "2016-11-08T11:00:00Z"})
    site.article("e.md", {"title": "Epsilon", "slug": "epsilon", "date": "2016-10-02T11:00:00Z"})
    return site


def titles(node) -> list[str]:
    return [h.text.strip() for h in node.find_all(cls="item-title")]


def sections(page) -> list[tuple[str, list[str]]]:
    found = []
    for section in page.main.find_all("section", cls="edition-section"):
        heading = section.find_all(cls="section-title")
        found.append((heading[0].text.strip() if heading else "", titles(section)))
    return found


def test_default_sections_group_by_the_shared_tag_and_keep_everything(day):
    day.build()
    page = day.page(DAY)
    assert page.h1 == "Wednesday, November 9, 2016"
    assert sections(page) == [("Trade", ["Beta", "Alpha"]), ("More", ["Gamma"])]
    credit = page.main.find_all("article", cls="item")[1].find("p", cls="credit").text
    assert "Example Times" in credit and "Via Wire Digest" in credit and "© Times" in credit


def test_edition_links_its_neighbours_month_year_and_archive(day):
    day.build()
    page = day.page(DAY)
    assert page.main.find("nav", cls="edition-nav").links() == {"← Tuesday, November 8, 2016": "/2016/11/08/"}
    assert page.main.find("nav", cls="breadcrumbs").links() == {
        "Archive": "/archive/", "2016": "/2016/", "November 2016": "/2016/11/"}
    assert day.page("/2016/11/08/").main.find("nav", cls="edition-nav").links() == {
        "← Sunday, October 2, 2016": "/2016/10/02/", "Wednesday, November 9, 2016 →": "/2016/11/09/"}
    month = day.page("/2016/11/").main.find("nav", cls="period-nav").links()
    assert month == {"← October 2016": "/2016/10/", "↑ 2016": "/2016/"}
    assert day.page("/2016/10/").main.find("nav", cls="period-nav").links()["November 2016 →"] == "/2016/11/"
    assert day.page("/archive/").main.links()["November 2016"] == "/2016/11/"
    assert day.page("/").find("nav", cls="site-nav").links()["Archive"] == "/archive/"


def test_edition_has_item_list_jsonld(day):
    day.build()
    page = day.page(DAY)
    (script,) = [s for s in page.find_all("script") if s.get("type") == "application/ld+json"]
    data = json.loads(script.text)
    assert data["@type"] == "ItemList" and data["numberOfItems"] == 3
    assert [(i["@type"], i["position"], i["url"]) for i in data["itemListElement"]] == [
        ("ListItem", 1, "https://digest.test/2016/11/09/beta/"), ("ListItem", 2, "https://digest.test/2016/11/09/alpha/"),
        ("ListItem", 3, "https://digest.test/2016/11/09/gamma/")]


def test_sections_by_none_and_an_invalid_choice(day):
    day.write_config(edition={"sections_by": "none"})
    day.build()
    assert sections(day.page(DAY)) == [("", ["Gamma", "Beta", "Alpha"])]
    day.write_config(edition={"sections_by": "topics"})
    (error,) = day.build_errors()
    assert error.startswith("site.toml:") and "edition.sections_by: must be one of 'tags', 'regions', 'none'" in error


EDITION = """---
title: "Trade day"
summary: "What moved."
sections:
  - title: Lead
    articles:
      - gamma
  - title: Markets
    tag: trade
---

The editor's *note*.
"""


def test_edition_file_orders_groups_and_notes(day):
    day.write("content/editions/2016-11-09.md", EDITION)
    day.build()
    page = day.page(DAY)
    assert sections(page) == [("Lead", ["Gamma"]), ("Markets", ["Beta", "Alpha"])]
    assert page.main.find("p", cls="edition-title").text == "Trade day"
    assert page.main.find("aside", cls="editors-note").find("em").text == "note"
    assert page.title.startswith("Trade day")
    assert not day.exists("/editions/2016-11-09/")  # an edition file is not an article
    assert "Trade day" not in day.read("/feed.xml")


def test_articles_not_named_go_to_more(day):
    day.write("content/editions/2016-11-09.md", "---\nsections:\n  - title: Lead\n    articles: [beta]\n---\n")
    day.build()
    assert sections(day.page(DAY)) == [("Lead", ["Beta"]), ("More", ["Gamma", "Alpha"])]


@pytest.mark.parametrize("name, text, expected", [
    ("2016-11-09.md", "---\nsections:\n  - title: A\n    articles:\n      - alpha\n      - nope\n---\n",
     "content/editions/2016-11-09.md:6: sections[1].articles: 'nope' is not an article published on 2016-11-09"),
    ("2016-11-09.md", "---\nsections:\n  - title: A\n    articles: [delta]\n---\n",
     "content/editions/2016-11-09.md:4: sections[1].articles: 'delta' is not an article published on 2016-11-09"),
    ("9-11-2016.md", "---\ntitle: x\n---\n",
     "content/editions/9-11-2016.md:1: file: '9-11-2016' is not a date (name an edition file after its day"),
    ("2016-11-11.md", "---\ntitle: x\n---\n",
     "content/editions/2016-11-11.md:1: file: 2016-11-11 has no published articles"),
    ("2016-11-09.md", "---\nsections:\n  - title: A\n    articles:\n      - alpha\n  - title: B\n"
                      "    articles:\n      - beta\n      - alpha\n---\n",
     "content/editions/2016-11-09.md:9: sections[2].articles: 'alpha' is already in section 'A' (line 5) "
     "(list each article once)"),
    ("2016-11-09.md", "---\ntitel: x\n---\n",
     "content/editions/2016-11-09.md:2: titel: unknown field (did you mean 'title'?)"),
    ("2016-11-09.md", "---\nsections:\n  - title: A\n    slugs: [alpha]\n---\n",
     "content/editions/2016-11-09.md:4: sections[1].slugs: unknown field"),
    ("2016-11-09.md", "---\nsections: alpha\n---\n",
     "content/editions/2016-11-09.md:2: sections: must be a list of sections"),
    ("2016-11-09.md", "---\ntitle: [a, b]\n---\n",
     "content/editions/2016-11-09.md:2: title: must be a text string"),
    ("2016-11-09.md", "---\nsections:\n  - title: A\n    articles: alpha\n---\n",
     "content/editions/2016-11-09.md:4: sections[1].articles: must be a list of article slugs"),
    ("2016-11-09.md", "---\nsections:\n  - title: A\n    tag: Nothing\n---\n",
     "content/editions/2016-11-09.md:3: sections[1].tag: no article of 2016-11-09 has the term 'Nothing'"),
])
def test_edition_file_errors_name_file_line_field_and_fix(day, name, text, expected):
    day.write(f"content/editions/{name}", text)
    errors = day.build_errors()
    assert len(errors) == 1 and errors[0].startswith(expected), errors
    assert "(" in errors[0] and errors[0].endswith(")")  # every error carries its fix


def test_an_edition_for_a_day_of_drafts_waits(day):
    day.article("f.md", {"title": "Later", "slug": "later", "date": "2016-11-12", "draft": True})
    day.write("content/editions/2016-11-12.md", "---\ntitle: Soon\n---\n")
    day.build()
    assert not day.exists("/2016/11/12/")
    day.build(drafts=True)
    assert day.page("/2016/11/12/").main.find("p", cls="edition-title").text == "Soon"


def test_home_shows_the_latest_edition_in_full_then_headlines(day):
    day.write("content/editions/2016-11-08.md", "---\ntitle: Quiet Tuesday\n---\n")
    day.build()
    home = day.page("/")
    lead = home.main.find("section", cls="lead-edition")
    assert lead.find("h2").links() == {"Wednesday, November 9, 2016": "/2016/11/09/"}
    assert titles(lead) == ["Beta", "Alpha", "Gamma"]
    assert len(lead.find_all("p", cls="summary")) == 3
    earlier = home.main.find("section", cls="earlier-editions")
    assert [h.text for h in earlier.find_all("h3")] == ["Tuesday, November 8, 2016: Quiet Tuesday",
                                                         "Sunday, October 2, 2016"]
    assert titles(earlier) == ["Delta", "Epsilon"]
    assert not earlier.has("p", cls="summary")  # headlines only


def test_home_paginates_older_editions(day):
    day.write_config(paginate=1)
    day.build()
    assert titles(day.page("/").main) == ["Beta", "Alpha", "Gamma", "Delta"]
    assert titles(day.page("/page/2/").main) == ["Epsilon"]
    assert day.page("/page/2/").main.find("nav", cls="pagination").links()["← Newer"] == "/"


def test_editions_feed_is_valid_atom_with_headlines(day):
    day.write("content/editions/2016-11-09.md", EDITION)
    day.build()
    path = day.path("/editions/feed.xml")
    feed = ET.parse(path).getroot()
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == [
        "Wednesday, November 9, 2016: Trade day", "Tuesday, November 8, 2016", "Sunday, October 2, 2016"]
    assert entries[0].find(f"{ATOM}id").text == "https://digest.test/2016/11/09/"
    content = entries[0].find(f"{ATOM}content").text
    assert "Gamma" in content and "Markets" in content and "https://digest.test/2016/11/09/beta/" in content
    result = subprocess.run([tools.jing_path(), "-c", str(tools.SCHEMAS_DIR / "atom.rnc"), str(path)],
                            capture_output=True, text=True, timeout=300)
    problems = [ln for ln in (result.stdout + result.stderr).splitlines() if ln.strip() and "[warning]" not in ln]
    assert result.returncode == 0 and problems == [], problems


@pytest.mark.parametrize("change", ["add", "edit", "delete"])
def test_edition_file_changes_rebuild_exactly(day, tmp_path, change):
    path = day.write("content/editions/2016-11-09.md", EDITION) if change != "add" else None
    day.build()
    if change == "add":
        day.write("content/editions/2016-11-09.md", EDITION)
    elif change == "edit":
        assert path is not None
        path.write_text(EDITION.replace("Trade day", "Oil day"))
    else:
        assert path is not None
        path.unlink()
    day.build()
    clean = tmp_path / "clean"
    from digest.site.pipeline import build
    build(day.root, clean, day.options(), cache=False)
    from conftest import tree_digest
    assert day.tree() == tree_digest(clean)
    shown = day.page(DAY).main.find_all("p", cls="edition-title")
    assert [p.text for p in shown] == {"add": ["Trade day"], "edit": ["Oil day"], "delete": []}[change]


def test_new_edition_writes_the_days_articles_and_refuses_to_overwrite(day):
    ran = day.cli("new", "--edition", "2016-11-09")
    assert ran.exit_code == 0, ran.output
    text = (day.root / "content/editions/2016-11-09.md").read_text()
    assert [ln.split("#")[0].strip() for ln in text.splitlines() if ln.startswith("      - ")] == [
        "- beta", "- alpha", "- gamma"]
    day.build()  # the file it wrote is a valid edition
    assert sections(day.page(DAY)) == [("Trade", ["Beta", "Alpha"]), ("More", ["Gamma"])]
    again = day.cli("new", "--edition", "2016-11-09")
    assert again.exit_code == 1 and "already exists" in again.output
    empty = day.cli("new", "--edition", "2016-11-11")
    assert empty.exit_code == 1 and "2016-11-11 has no published articles" in empty.output
    both = day.cli("new")
    assert both.exit_code == 2


def test_check_reads_edition_files_as_editions(day):
    day.write("content/editions/2016-11-09.md", EDITION)
    ran = day.cli("check", "--format", "json")
    problems = json.loads(ran.stdout)["errors"]
    assert problems and not [p for p in problems if "editions" in p["path"]]  # no article rule applies to it
    day.write("content/editions/2016-11-09.md", EDITION.replace("- gamma", "- gama"))
    ran = day.cli("check")
    assert ran.exit_code == 1
    assert "content/editions/2016-11-09.md:7: sections[1].articles: 'gama' is not an article published" \
        in ran.output and "did you mean 'gamma'?" in ran.output


def test_new_edition_defaults_to_today_in_the_site_zone(day):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    zone = ZoneInfo("America/New_York")
    before = datetime.now(zone).date().isoformat()
    ran = day.cli("new", "--edition")
    after = datetime.now(zone).date().isoformat()
    assert ran.exit_code == 1  # the fixture's articles are from 2016
    assert f"{before} has no published articles" in ran.output or f"{after} has no published articles" in ran.output
    assert "2016-11-09" in ran.output  # the hint names the latest editions
