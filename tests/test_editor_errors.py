"""Hostile and mistaken input: every problem is one `path:line: field: message (fix)` line,
reported together, through the installed program run in the site folder; nothing a
mistake can do ends in a traceback or publishes what it should not."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from conftest import Site

# path:line: [warning: ]field: message (fix)   — the field never holds a colon
ERROR_LINE = re.compile(r"^(?P<path>[^:\s][^:]*):(?P<line>\d+): (?:warning: )?(?P<field>[^:]+): (?P<message>.+) "
                        r"\((?P<hint>[^()]*(?:\([^()]*\)[^()]*)*)\)$")

BROKEN = {
    "binary.md": b"---\ntitle: Bin\n\xff\xfe\x00\n---\nBody\n",
    "no-front-matter.md": "Just a paragraph.\n",
    "unclosed.md": "---\ntitle: Open\ndate: 2016-11-09\n",
    "bad-yaml.md": '---\ntitle: "a\ndate: x\n---\n',
    "anchors.md": "---\ntitle: &t A\nsummary: *t\ndate: 2016-11-09\noriginal: true\n---\nB\n",
    "duplicate.md": "---\ntitle: A\ntitle: B\ndate: 2016-11-09\noriginal: true\n---\nB\n",
    "not-a-mapping.md": "---\n- a list\n---\nB\n",
    "missing.md": "---\nsummary: No title, date or source\n---\nB\n",
    "bad-date.md": "---\ntitle: A\ndate: 2016-13-01\noriginal: true\n---\nB\n",
    "far-future.md": "---\ntitle: A\ndate: 9999-12-31T23:59:59-05:00\noriginal: true\n---\nB\n",
    "far-past.md": "---\ntitle: A\ndate: 0001-01-01T00:00:00+05:00\noriginal: true\n---\nB\n",
    "updated-first.md": "---\ntitle: A\ndate: 2016-11-09\nupdated: 2016-01-01\noriginal: true\n---\nB\n",
    "unknown-field.md": "---\ntitle: A\ndate: 2016-11-09\noriginal: true\ntagz: [x]\n---\nB\n",
    "bad-boolean.md": "---\ntitle: A\ndate: 2016-11-09\noriginal: yes\n---\nB\n",
    "bad-slug.md": "---\ntitle: A\ndate: 2016-11-09\noriginal: true\nslug: a/b\n---\nB\n",
    "bad-url.md": "---\ntitle: A\ndate: 2016-11-09\nsource: {name: X, url: 'ftp://files.example/a'}\n---\nB\n",
    "bad-source.md": "---\ntitle: A\ndate: 2016-11-09\nsource: {name: X, link: 'https://a.example/'}\n---\nB\n",
    "bad-disclaimer.md": "---\ntitle: A\ndate: 2016-11-09\noriginal: true\ndisclaimer: fair_use\n---\nB\n",
    "empty-name.md": "---\ntitle: A\ndate: 2016-11-09\noriginal: true\nauthors: ['', B]\n---\nB\n",
    "bad-image.md": "---\ntitle: A\ndate: 2016-11-09\noriginal: true\nimage: {src: missing.png, alt: A}\n---\nB\n",
    "bad-extra.md": "---\ntitle: A\ndate: 2016-11-09\noriginal: true\nextra: [1]\n---\nB\n",
}


def run_and_lines(site: Site, *args: str) -> tuple[int, list[str]]:
    result = site.cli(*args)
    lines = [ln for ln in result.stderr.splitlines() if ln and not ln.endswith("nothing was written.")]
    return result.exit_code, lines


def test_every_error_of_a_build_names_path_line_field_and_fix(site, tmp_path):
    for name, data in BROKEN.items():
        site.write(f"content/{name}", data)
    (tmp_path / "secret.md").write_text("---\ntitle: Secret\ndate: 2016-11-09\noriginal: true\n---\nx\n")
    (site.root / "content" / "linked.md").symlink_to(tmp_path / "secret.md")
    for command in ("build", "check"):
        code, lines = run_and_lines(site, command)
        assert code == 1
        named = set()
        for line in lines:
            match = ERROR_LINE.match(line)
            assert match, f"{command}: not 'path:line: field: message (fix)': {line}"
            assert (site.root / match["path"]).exists(), line
            named.add(Path(match["path"]).name)
        assert named == {*BROKEN, "linked.md"}, f"{command} missed {set(BROKEN) - named}"


@pytest.mark.parametrize("value, year", [("9999-12-31T23:59:59-05:00", "9999"),
                                         ("0001-01-01T00:00:00+05:00", "0001"),
                                         ("0001-01-01", "0001")])
def test_dates_at_the_calendars_edge_are_date_errors(make_site, value, year):
    """Instants outside years 1–9999 in UTC or the site's zone (Asia/Tokyo here, where
    0001-01-01 at midnight is still year 0 in UTC) are refused, never a traceback."""
    site = make_site(timezone="Asia/Tokyo")
    site.article("edge.md", {"title": "Edge", "date": value, "source": {"name": "X"}})
    for command in ("build", "check"):
        code, lines = run_and_lines(site, command, "--future")
        assert code == 1
        assert lines == [f"content/edge.md:3: date: '{value}' is outside the calendar (years 1 to 9999, in UTC "
                         "and in the site's time zone Asia/Tokyo) (check the year)"]


def test_the_last_day_of_the_calendar_still_builds(make_site):
    site = make_site(timezone="UTC")
    site.article("last.md", {"title": "Last", "date": "9999-12-31T23:59:59+00:00"})
    site.article("first.md", {"title": "First", "date": "0001-01-01T00:00:00Z"})
    result = site.cli("build", "--future")
    assert result.exit_code == 0, result.stderr
    assert site.exists("/9999/12/31/last/") and site.exists("/0001/01/01/first/")


def test_updated_before_date_is_an_error(site):
    site.article("a.md", {"title": "A", "date": "2016-11-09", "updated": "2016-11-08T23:59:00-05:00"})
    code, lines = run_and_lines(site, "build")
    assert code == 1
    assert lines == ["content/a.md:7: updated: '2016-11-08T23:59:00-05:00' is before the article's date "
                     "'2016-11-09' (updated is when the article was revised after publishing: set it on or "
                     "after date, or remove it)"]


def test_updated_at_the_same_instant_is_fine(site):
    site.article("a.md", {"title": "A", "date": "2016-11-09T10:00:00+01:00", "updated": "2016-11-09T09:00:00Z"})
    assert site.cli("build").exit_code == 0


def test_an_article_linked_from_outside_content_is_refused(site, tmp_path):
    outside = tmp_path / "private" / "notes.md"
    outside.parent.mkdir()
    outside.write_text("---\ntitle: Private notes\ndate: 2016-11-09\noriginal: true\n---\nDo not publish.\n")
    (site.root / "content" / "notes.md").symlink_to(outside)
    for command in ("build", "check"):
        code, lines = run_and_lines(site, command)
        assert code == 1
        assert lines == [f"content/notes.md:1: file: is a symbolic link to {outside}, outside content/ "
                         "(copy the article into content/ instead of linking to it)"]
    assert not site.output.exists()


def test_a_link_inside_content_is_read(site):
    site.article("2016/real.md", {"title": "Real"})
    os.symlink("2016/real.md", site.root / "content" / "alias.md")
    result = site.cli("check")
    assert "symbolic link" not in result.stderr


def test_a_link_through_a_symlinked_content_folder_is_fine(make_site, tmp_path):
    """content/ itself may be a link (a shared drive); files in it are inside it."""
    site = make_site()
    real = tmp_path / "shared-content"
    (site.root / "content").rmdir()
    real.mkdir()
    (site.root / "content").symlink_to(real)
    site.article("a.md", {"title": "A"})
    os.symlink(real / "a.md", real / "b.md")
    code, lines = run_and_lines(site, "check")
    assert not [ln for ln in lines if "symbolic link" in ln], lines


# ---------------------------------------------------------------- drafts being written


UNFINISHED_DRAFT = "---\ntitle: Half done\ndate: 2016-11-09\nsource:\n  name: \"\"\n  url: \"\"\ndraft: true\n---\nB\n"


def test_an_unfinished_draft_does_not_stop_the_build(site):
    """`digest new "X"` then `digest build`: the draft is left out, the editor is told why."""
    site.article("ready.md", {"title": "Ready"})
    site.write("content/half.md", UNFINISHED_DRAFT)
    result = site.cli("build")
    assert result.exit_code == 0, result.stderr
    assert "content/half.md:5: warning: source.name: needs the outlet's name" in result.stderr
    assert "the draft is left out until then" in result.stderr
    assert result.stdout.startswith("Built 1 article (1 draft(s) left out)")
    assert site.exists("/2016/11/09/ready/") and not site.exists("/2016/11/09/half-done/")
    again = site.cli("build")  # a no-op rebuild still says it
    assert "content/half.md:5: warning: source.name: needs the outlet's name" in again.stderr


def test_an_unfinished_draft_stops_a_build_that_publishes_drafts(site):
    site.write("content/half.md", UNFINISHED_DRAFT)
    code, lines = run_and_lines(site, "build", "--drafts")
    assert code == 1
    assert lines == ["content/half.md:5: source.name: needs the outlet's name (source: {name: Outlet, url: https://…})"]


def test_a_published_article_with_the_same_problem_stops_the_build(site):
    site.write("content/half.md", UNFINISHED_DRAFT.replace("draft: true", "draft: false"))
    code, lines = run_and_lines(site, "build")
    assert code == 1 and lines[0].startswith("content/half.md:5: source.name: needs the outlet's name")
