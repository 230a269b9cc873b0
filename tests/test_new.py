"""`digest new`: a complete, valid draft under content/YYYY/MM/, never overwriting."""
from __future__ import annotations

import re
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from digest.editor.new import NewArticle, create
from digest.errors import ConfigError, DigestError
from digest.site.articles import ArticleErrors, load_article
from digest.site.config import ARTICLE_FIELDS, load_config
from digest.site.frontmatter import split

# 03:30 UTC on the 10th is 22:30 on the 9th in New York, the test site's zone.
NOW = datetime(2016, 11, 10, 3, 30, 41, tzinfo=UTC)


def new(site, title: str = "Moscow signals readiness to talk", **fields):
    fields.setdefault("source", "Example Times")
    fields.setdefault("url", "https://times.example/2016/11/09/moscow/")
    return create(load_config(site.root), NewArticle(title, **fields), NOW)


def load(site, path: Path):
    rel = path.relative_to(site.root).as_posix()
    return load_article(path.read_bytes(), rel, load_config(site.root))


def test_writes_a_dated_draft_in_the_month_folder(site):
    created = new(site, tags=("Diplomacy",), regions=("Russia",))
    assert created.path == site.root / "content/2016/11/moscow-signals-readiness-to-talk.md"
    article = load(site, created.path)
    assert article.title == "Moscow signals readiness to talk"
    assert article.date.isoformat() == "2016-11-09T22:30:00-05:00"
    assert article.draft is True
    assert article.source.name == "Example Times"
    assert article.source.url == "https://times.example/2016/11/09/moscow/"
    assert article.terms_of("tags") == ("Diplomacy",) and article.terms_of("regions") == ("Russia",)
    assert article.url == "/2016/11/09/moscow-signals-readiness-to-talk/"


def test_every_field_is_present_optional_ones_commented(site):
    text = new(site).path.read_text()
    fields = {m.group(2) for m in re.finditer(r"^(# )?(\w+):", text, re.MULTILINE)}
    assert fields >= ARTICLE_FIELDS | {"tags", "regions"}
    data = split(text, "x").data
    assert set(data) == {"title", "date", "tags", "regions", "source", "draft"}
    assert data["tags"] == [] and data["regions"] == []
    # the disclaimer comment lists the site's keys and its default
    assert "one of: standard, translation, opinion; false for none (default: standard)" in text


def test_never_overwrites(site):
    first = new(site).path
    first.write_text(first.read_text() + "\nMy body.\n")
    before = first.read_bytes()
    with pytest.raises(DigestError) as info:
        new(site)
    assert str(info.value).startswith(
        "content/2016/11/moscow-signals-readiness-to-talk.md: file: already exists")
    assert "--slug" in info.value.hint
    assert first.read_bytes() == before
    assert new(site, slug="moscow-2").path.name == "moscow-2.md"


def test_awkward_titles_round_trip(site):
    title = 'Putin: "ready to talk" — #diplomacy & C++ [update] 100%'
    path = new(site, title=title).path
    article = load(site, path)
    assert article.title == title
    assert path.stem == article.slug  # the file is named like its URL


def test_terms_and_outlets_take_the_sites_spelling(site):
    site.article("2016/11/a.md", {"tags": ["US–Russia relations", "Diplomacy"],
                                  "source": {"name": "The Baltic Ledger"}})
    site.article("2016/11/b.md", {"tags": ["US–Russia relations"]})
    created = new(site, source="the baltic ledger", tags=("US-Russia relations", "diplomacy", "New"))
    article = load(site, created.path)
    assert article.terms_of("tags") == ("US–Russia relations", "Diplomacy", "New")
    assert article.source.name == "The Baltic Ledger"
    assert "tags: 'US-Russia relations' written as 'US–Russia relations', the spelling the site uses" \
        in created.notes


def test_outlet_named_from_the_url(make_site):
    site = make_site(sources={"Andes Wire": {"url": "https://andeswire.example/"}})
    created = new(site, source=None, url="https://www.andeswire.example/2016/11/09/sol/")
    assert load(site, created.path).source.name == "Andes Wire"
    assert "source: 'Andes Wire' named from the URL's site" in created.notes


def test_via_without_url_is_written_and_noted(site):
    created = new(site, via="Global Press Review")
    article = load(site, created.path)
    assert article.via.name == "Global Press Review" and article.via.url is None
    assert any(n.startswith("via.url:") for n in created.notes)


def test_original_writing_needs_no_source(site):
    article = load(site, new(site, source=None, url=None, original=True).path)
    assert article.original and article.source is None


def test_original_with_a_source_is_refused(site):
    with pytest.raises(DigestError, match="takes no --source or --url"):
        new(site, original=True)
    assert not (site.root / "content/2016").exists()


def test_without_a_source_the_build_says_what_to_fill_in(site):
    created = new(site, source=None, url=None)
    assert "source: fill in the outlet's name and url (or pass --original for your own writing)" \
        in created.notes
    with pytest.raises(ArticleErrors) as info:
        load(site, created.path)
    assert [(e.field, e.message) for e in info.value.errors] == [("source.name", "needs the outlet's name")]


def test_bad_url_is_refused(site):
    with pytest.raises(DigestError, match=r"^digest new: --url: 'times.example/x' has no scheme \(add https:// in front: https://times.example/x\)$"):
        new(site, url="times.example/x")


def test_taxonomy_must_exist(make_site):
    site = make_site(taxonomies={"tags": "Tags"})
    with pytest.raises(ConfigError, match="declares no 'regions' taxonomy"):
        new(site, regions=("Europe",))


# ---------------------------------------------------------------- the command


def test_cli_prints_the_path_and_notes(site):
    result = site.cli("new", "Border towns watch the vote", "--source", "Example Times",
                      "--url", "https://times.example/b", "--tags", "Trade, US elections 2016")
    assert result.exit_code == 0, result.output
    printed = result.stdout.strip()  # relative to where the editor stands: the site folder
    assert re.match(r"content/\d{4}/\d{2}/border-towns-watch-the-vote\.md$", printed)
    assert (site.root / printed).is_file()
    assert "draft: true keeps it unpublished" in result.stderr
    assert site.cli("check").exit_code == 0


def test_cli_refuses_to_overwrite(site):
    args = ("new", "Same title", "--original")
    assert site.cli(*args).exit_code == 0
    again = site.cli(*args)
    assert again.exit_code == 1
    assert re.match(r"content/\d{4}/\d{2}/same-title\.md: file: already exists", again.stderr)


def test_cli_edit_opens_the_editor(site, tmp_path, monkeypatch):
    editor = tmp_path / "editor.sh"
    editor.write_text('#!/bin/sh\nprintf "Written in the editor.\\n" >> "$1"\n')
    editor.chmod(editor.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("EDITOR", str(editor))
    monkeypatch.delenv("VISUAL", raising=False)
    result = site.cli("new", "Edited now", "--original", "--edit")
    assert result.exit_code == 0, result.output
    assert (site.root / result.stdout.strip()).read_text().endswith("---\n\nWritten in the editor.\n")


def test_cli_usage_errors_are_one_line(site):
    result = site.cli("new", "X", "--original", "--url", "https://a.example/")
    assert result.exit_code == 1
    assert result.stderr == ("digest new: --original: takes no --source or --url (--original marks your own "
                             "writing; leave it out to credit an outlet)\n")
