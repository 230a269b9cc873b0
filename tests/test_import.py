"""`digest import`: clippings of many shapes → complete articles, or drafts that say what is missing.

Each clipping in tests/clippings/ has a NAME.expected.md beside it: the
front matter an editor should get (the fields that are set) and the exact
body. Clippings are invented text in the shapes web clippers and copy-paste
produce; tests/clippings/site.toml is the site they are imported into.
"""
from __future__ import annotations

import json
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import Site

from digest.editor.clip.fit import invalid
from digest.editor.importer import import_clippings
from digest.site.config import load_config
from digest.site.frontmatter import split

CLIPPINGS = Path(__file__).parent / "clippings"
NOW = datetime(2016, 12, 1, 15, 0, tzinfo=UTC)
SHAPES = sorted(p.name for p in CLIPPINGS.iterdir()
                if p.suffix in (".md", ".txt") and not p.name.endswith(".expected.md"))


@pytest.fixture
def clip_site(make_site) -> Site:
    """An empty site with the clipping tests' site.toml (the example site's disclaimers and outlets)."""
    return make_site("clip-site", config=(CLIPPINGS / "site.toml").read_text())


def run(site: Site, *names: str | Path, dry_run: bool = False, into: Path | None = None):
    config = load_config(site.root)
    paths = [n if isinstance(n, Path) else CLIPPINGS / n for n in names]
    return import_clippings(paths, config, into or config.content_dir, NOW, dry_run=dry_run)


def meaning(front_matter: dict) -> dict:
    """Front matter as the validator reads it: empty values mean 'not set'."""
    out = {}
    for key, value in front_matter.items():
        if isinstance(value, dict):
            value = {k: v for k, v in value.items() if v not in ("", [])}
        if value not in ("", [], {}):
            out[key] = value
    return out


def problems(outcome) -> list[str]:
    return [str(p) for p in outcome.problems]


# ---------------------------------------------------------------- every shape


def test_there_are_enough_shapes():
    assert len(SHAPES) >= 8
    assert all((CLIPPINGS / f"{Path(s).stem}.expected.md").is_file() for s in SHAPES)


@pytest.mark.parametrize("name", SHAPES)
def test_clipping_gives_the_expected_article(clip_site, name):
    [outcome] = run(clip_site, name)
    assert outcome.status == "imported", problems(outcome)
    written = (clip_site.root / outcome.target).read_text(encoding="utf-8")
    expected = split((CLIPPINGS / f"{Path(name).stem}.expected.md").read_text(encoding="utf-8"), "expected")
    got = split(written, outcome.target)
    assert meaning(got.data) == expected.data
    assert got.body == expected.body
    # and it is a valid article of the site (but for an outlet still to be named), filed by its date
    assert invalid(written, outcome.target, load_config(clip_site.root)) == ()
    assert outcome.target == f"content/{expected.data['date'][:4]}/{expected.data['date'][5:7]}/" \
        f"{Path(outcome.target).name}"


def test_every_field_is_in_the_file(clip_site):
    [outcome] = run(clip_site, "byline-link.md")
    for field in ("# updated:", "# slug:", "# via:", "# original:", "# copyright:", "# disclaimer:", "# draft:",
                  "# extra:"):
        assert field in outcome.text


# ---------------------------------------------------------------- what the report says


def test_global_press_review_shape(clip_site):
    [outcome] = run(clip_site, "global-press-review.md")
    assert outcome.found == ("title", "date", "summary", "authors", "tags", "regions", "source with URL",
                             "via with URL", "copyright", "disclaimer fair-use (57% alike)")
    # nav and share links, the rule, comment/member links, 'Articles by', contact and site copyright
    assert outcome.removed == 9
    assert problems(outcome) == [
        f"{CLIPPINGS / 'global-press-review.md'}:48: warning: disclaimer: the clipping's notice matches no "
        "[disclaimers] entry; it was left out (to show it, add the entry suggested below to site.toml and set "
        "disclaimer: global-press-review-notice)"]
    assert "Global Press Review" not in outcome.text.split("---\n")[2]  # nothing of its furniture in the body


def test_unknown_disclaimer_gets_a_site_toml_entry_that_then_matches(clip_site, make_site):
    [outcome] = run(clip_site, "unknown-disclaimer.md")
    [entry] = outcome.suggestions
    assert entry.startswith('[disclaimers]\npacific-standard-times-syndication = """\nThis story is distributed')
    assert tomllib.loads(entry)["disclaimers"]["pacific-standard-times-syndication"].startswith("This story")
    # pasted into site.toml, the next import of the same kind of notice picks it
    config_text = (CLIPPINGS / "site.toml").read_text().replace("[disclaimers]\n", entry + "\n", 1)
    other = make_site("other", config=config_text)
    [again] = run(other, "unknown-disclaimer.md")
    assert again.suggestions == ()
    assert "disclaimer: pacific-standard-times-syndication" in again.text


def test_an_outlets_own_disclaimer_wins_over_a_matched_notice(clip_site, tmp_path):
    clipping = tmp_path / "andes.md"
    clipping.write_text((CLIPPINGS / "global-press-review.md").read_text().replace(
        "pacificstandardtimes.example", "andeswire.example").replace("Pacific Standard Times", "Andes Wire"))
    [outcome] = run(clip_site, clipping)
    assert "\ndisclaimer:" not in outcome.text
    assert (f"{clipping}:50: note: disclaimer: the notice reads like [disclaimers] fair-use, but Andes Wire's own "
            "disclaimer 'translation' applies (set disclaimer: fair-use to override it)") in problems(outcome)


# ---------------------------------------------------------------- incomplete imports


def test_missing_source_url_makes_a_draft_that_check_blocks(clip_site):
    [outcome] = run(clip_site, "no-source-url.md")
    assert outcome.draft
    assert problems(outcome)[0] == (
        f"{CLIPPINGS / 'no-source-url.md'}:15: todo: source.url: the clipping names Sahel Observer but does not "
        "link to the original article (find the original and set source.url)")
    check = clip_site.cli("check")
    assert check.exit_code == 1
    line = outcome.text.splitlines().index('    - "source.url: the clipping names Sahel Observer but does not link to '
                                           'the original article"') + 1
    assert (f"{outcome.target}:{line}: source.url: unfinished import: the clipping names Sahel Observer but does not "
            "link to the original article (fix it, then delete this line from extra.import_todo)") \
        in check.stderr.splitlines()
    clip_site.build()  # the build does not break on it; the draft is simply not published
    assert not clip_site.exists("/2016/11/19/marrakech-talks-end-with-a-roadmap-but-few-new-pledges/")


def test_nothing_to_go_on(clip_site, tmp_path):
    clipping = tmp_path / "scraps.txt"
    clipping.write_text("Some text someone pasted, with no title line, no byline and no date at all.\n\n"
                        "And a second paragraph.\n")
    [outcome] = run(clip_site, clipping)
    data = split(outcome.text, "x").data
    assert data["draft"] == "true"
    assert data["title"] == "Scraps"  # from the file name
    assert data["date"] == "2016-12-01"  # today in the site's zone, as a placeholder
    assert [item.split(":")[0] for item in data["extra"]["import_todo"]] == [
        "source.name", "source.url", "date", "title"]
    assert invalid(outcome.text, "x.md", load_config(clip_site.root)) == ()  # a draft whose outlet is to be named


# ---------------------------------------------------------------- never twice, never over


def test_the_same_story_already_in_content_is_skipped(clip_site):
    clip_site.article("2016/11/moscow.md", {
        "title": "Moscow signals readiness to talk", "date": "2016-11-09T11:40:00+02:00",
        "source": {"name": "The Baltic Ledger",
                   "url": "https://balticledger.example/2016/11/09/moscow-signals-readiness-to-talk"}})
    [outcome] = run(clip_site, "already-imported.md")
    assert outcome.status == "skipped"
    assert outcome.target == "content/2016/11/moscow.md"
    assert problems(outcome) == [f"{CLIPPINGS / 'already-imported.md'}:1: note: source.url: already imported as "
                                 "content/2016/11/moscow.md (same source URL); nothing written (delete that article "
                                 "first to import the clipping again)"]
    assert sorted(p.name for p in (clip_site.root / "content").rglob("*.md")) == ["moscow.md"]


def test_the_same_clipping_twice_in_one_run_and_across_runs(clip_site):
    first, second = run(clip_site, "global-press-review.md", "global-press-review.md")
    assert (first.status, second.status) == ("imported", "skipped")
    [third] = run(clip_site, "global-press-review.md")
    assert third.status == "skipped" and third.target == first.target


def test_without_a_source_url_the_title_and_date_recognise_it(clip_site):
    run(clip_site, "no-source-url.md")
    [again] = run(clip_site, "no-source-url.md")
    assert again.status == "skipped"
    assert "(same title and date)" in problems(again)[0]


def test_never_overwrites_another_article(clip_site):
    target = clip_site.write("content/2016/11/moldova-s-runoff-a-vote-on-europe-or-on-corruption.md",
                             "---\ntitle: Something else\ndate: 2016-11-30\noriginal: true\n---\nMine.\n")
    [outcome] = run(clip_site, "byline-link.md")
    assert outcome.status == "failed"
    assert str(outcome.problems[-1]).startswith(
        "content/2016/11/moldova-s-runoff-a-vote-on-europe-or-on-corruption.md:1: slug: already exists")
    assert target.read_text().endswith("Mine.\n")


# ---------------------------------------------------------------- spelling, encodings


def test_terms_and_outlets_take_the_sites_spelling(clip_site, tmp_path):
    clip_site.article("2016/11/a.md", {"tags": ["US–Russia relations"], "regions": ["South Asia"],
                                       "source": {"name": "Global Press Review", "url": "https://g.example/a"}})
    clipping = tmp_path / "c.txt"
    clipping.write_text("Talks resume\nBy A. Writer\nglobal press review, 3 December 2016\n"
                        "Tags: US-Russia relations\nRegion: south asia\n\nBody text of the story.\n"
                        "Url of this article: https://globalpressreview.example/talks/\n")
    [outcome] = run(clip_site, clipping)
    data = split(outcome.text, "x").data
    assert data["tags"] == ["US–Russia relations"] and data["regions"] == ["South Asia"]
    assert data["source"]["name"] == "Global Press Review"
    assert f"{clipping}:4: note: tags: 'US-Russia relations' written as 'US–Russia relations', the spelling the " \
        "site uses (so the term keeps one page)" in problems(outcome)


def test_crlf_and_bom_are_kept_in_the_fixture():
    raw = (CLIPPINGS / "windows-crlf-bom.txt").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")


def test_line_endings_and_bom_do_not_change_the_result(clip_site, make_site, tmp_path):
    text = (CLIPPINGS / "plain-copy-paste.txt").read_text()
    windows = tmp_path / "plain-copy-paste.txt"
    windows.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    [lf] = run(clip_site, "plain-copy-paste.txt")
    [crlf] = run(make_site("other", config=(CLIPPINGS / "site.toml").read_text()), windows)
    assert crlf.text == lf.text


def test_windows_1252_is_read_with_a_warning(clip_site, tmp_path):
    clipping = tmp_path / "old.txt"
    clipping.write_bytes("Caf\u00e9 talks\nBy Ana P\u00e9rez\n9 November 2016\n\nThe caf\u00e9 story.\n\n"
                         "This article first appeared on Andes Wire: https://andeswire.example/cafe/\n"
                         .encode("cp1252"))
    [outcome] = run(clip_site, clipping)
    assert 'title: "Café talks"' in outcome.text and "authors: [Ana Pérez]" in outcome.text
    assert problems(outcome)[0].startswith(f"{clipping}:1: warning: encoding: not UTF-8; read as Windows-1252")


# ---------------------------------------------------------------- the command


def test_dry_run_writes_nothing_and_shows_the_article(clip_site):
    result = clip_site.cli("import", str(CLIPPINGS / "byline-link.md"), "--dry-run")
    assert result.exit_code == 0, result.output
    assert not list((clip_site.root / "content").rglob("*.md"))
    lines = result.stdout.splitlines()
    assert lines[0] == (f"{CLIPPINGS / 'byline-link.md'} → "
                        "content/2016/11/moldova-s-runoff-a-vote-on-europe-or-on-corruption.md: would write")
    assert "  | title: \"Moldova's runoff: a vote on Europe, or on corruption?\"" in lines
    assert lines[-1] == "Would import 1 of 1 clipping(s)."


def test_cli_imports_reports_and_exits(clip_site):
    names = [str(CLIPPINGS / n) for n in ("byline-link.md", "no-source-url.md", "byline-link.md")]
    result = clip_site.cli("import", *names)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == (
        "Imported 2 of 3 clipping(s); 1 kept as draft(s) with import_todo items; 1 already imported.")
    assert len(list((clip_site.root / "content").rglob("*.md"))) == 2


def test_into_another_folder(clip_site):
    into = clip_site.root / "content" / "imports"
    result = clip_site.cli("import", str(CLIPPINGS / "iso-date.md"), "--into", str(into))
    assert result.exit_code == 0, result.output
    assert (into / "2016" / "11" / "opec-technical-experts-fail-to-close-the-gap-on-quotas.md").is_file()


def test_a_failed_file_makes_exit_1(clip_site):
    clip_site.write("content/2016/11/opec-technical-experts-fail-to-close-the-gap-on-quotas.md",
                    "---\ntitle: Other\ndate: 2016-11-30\noriginal: true\n---\nx\n")
    result = clip_site.cli("import", str(CLIPPINGS / "iso-date.md"))
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == "Imported 0 of 1 clipping(s); 1 failed."


def test_imported_site_checks_and_builds(clip_site):
    complete = [s for s in SHAPES if "\ndraft: true\n" not in (CLIPPINGS / f"{Path(s).stem}.expected.md").read_text()]
    assert len(complete) >= 15
    run(clip_site, *complete)
    result = clip_site.cli("check", "--format", "json")
    report = json.loads(result.stdout)
    assert report["errors"] == [], report["errors"]
    assert report["articles"] == len(complete)
    clip_site.build()
    page = clip_site.page("/2016/11/18/lima-summit-pacific-trade-ministers-weigh-a-future-without-the-tpp/")
    assert "Pacific Standard Times" in page.main.text and "Global Press Review" in page.main.text


def test_the_clipping_itself_is_never_touched(clip_site):
    before = (CLIPPINGS / "global-press-review.md").read_bytes()
    run(clip_site, "global-press-review.md")
    assert (CLIPPINGS / "global-press-review.md").read_bytes() == before


# ---------------------------------------------------------------- single lines


@pytest.mark.parametrize(("line", "expected"), [
    ("Global Press Review, November 09, 2016", ("2016-11-09", "Global Press Review")),
    ("9 November 2016", ("2016-11-09", None)),
    ("Wednesday, Nov. 9, 2016 14:30 GMT", ("2016-11-09T14:30:00+00:00", None)),
    ("Published: 2016-11-21T16:40:00+03:00", ("2016-11-21T16:40:00+03:00", None)),
    ("Published November 10, 2016 | 4 min read", ("2016-11-10", None)),
    ("[Andes Wire](https://andeswire.example/a/) 18 November 2016", ("2016-11-18", "Andes Wire")),
    ("MOSCOW, November 9, 2016", ("2016-11-09", None)),  # a city, not an outlet
    ("The vote was held on November 9, 2016", None),  # a sentence
    ("November 31, 2016", None),
])
def test_datelines(line, expected):
    from digest.editor.clip.lines import dateline

    found = dateline(line)
    assert (found.date, found.site) == expected if expected else found is None


@pytest.mark.parametrize(("line", "expected"), [
    ("By [Liis Tamm](#) and [Andrejs Kalniņš](#)", ("Liis Tamm", "Andrejs Kalniņš")),
    ("By Ana Quispe, Diego Huamán and Camila Rojas", ("Ana Quispe", "Diego Huamán", "Camila Rojas")),
    ("**By Khalid Al-Mansoori**", ("Khalid Al-Mansoori",)),
    ("Author: Ludwig van Beethoven", ("Ludwig van Beethoven",)),
    ("By contrast, the ministers said little.", None),
    ("By the end of the day nothing had changed", None),
])
def test_bylines(line, expected):
    from digest.editor.clip.lines import byline

    assert byline(line) == expected


@pytest.mark.parametrize(("line", "expected"), [
    ("The original source of this article is RT News", ("RT News", None)),
    ("The original source of this article is [Andes Wire](https://andeswire.example/x/)",
     ("Andes Wire", "https://andeswire.example/x/")),
    ("Originally published by Andes Wire: https://andeswire.example/x/", ("Andes Wire", "https://andeswire.example/x/")),
    ("Originally published at https://andeswire.example/x/", (None, "https://andeswire.example/x/")),
    ("This article first appeared on Sahel Observer.", ("Sahel Observer", None)),
    ("This column first appeared in Northern Courier (https://n.example/c/).", ("Northern Courier", "https://n.example/c/")),
    ("Source: IMF World Economic Outlook", None),  # a data credit, not the article's origin
    ("The source of the leak was never found.", None),
])
def test_origin_lines(line, expected):
    from digest.editor.clip.lines import origin

    found = origin(line)
    assert (found.name, found.url) == expected if expected else found is None


def test_a_story_paragraph_mentioning_reproduction_is_kept(clip_site, tmp_path):
    clipping = tmp_path / "art.md"
    clipping.write_text("# Auction record\n\nBy Ana Pérez\n\n9 November 2016\n\nThe painting sold for a record.\n\n"
                        "Experts said the reproduction rights were sold separately, for far less.\n")
    [outcome] = run(clip_site, clipping)
    assert outcome.text.endswith("The painting sold for a record.\n\n"
                                 "Experts said the reproduction rights were sold separately, for far less.\n")


def test_a_digest_article_imports_as_itself_and_is_recognised_in_its_own_site(clip_site, make_site):
    example = Path(__file__).resolve().parent.parent / "content/2016/11/apec-lima-trade-rules.md"
    [outcome] = run(clip_site, example)
    data = meaning(split(outcome.text, "x").data)
    original = split(example.read_text(), "y").data
    for field in ("title", "date", "authors", "tags", "regions", "via", "copyright"):
        assert data[field] == original[field], field
    assert data["source"]["url"] == original["source"]["url"]
    # importing it again, or into a site that has it, is recognised
    [again] = run(clip_site, example)
    assert again.status == "skipped" and again.target == outcome.target


def test_a_clippers_title_repeated_as_a_heading_is_not_kept(clip_site, tmp_path):
    clipping = tmp_path / "c.md"
    clipping.write_text('---\ntitle: "Harbour vote fails | The Baltic Ledger"\nsource: "https://balticledger.example/h/"\n'
                        "published: 2016-11-21\n---\n# Harbour vote fails\n\nThe story.\n")
    [outcome] = run(clip_site, clipping)
    assert outcome.text.endswith("---\n\nThe story.\n")
    assert 'title: "Harbour vote fails"' in outcome.text
