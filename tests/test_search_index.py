"""The search index in shards (digest/search/index.py): one Pagefind bundle per shard of the
article pages, kept from build to build until its records change, swapped in with the site.

The site here has articles in three 16-year spans (1998, 2015, 2016), so three shards.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import Site, tree_digest

from digest.incremental.cache import Store
from digest.site.pipeline import Pipeline, build

FACADE = Path(__file__).resolve().parent.parent / "digest" / "search" / "shards.js"
ARTICLES = {
    "old.md": ({"title": "Lighthouse keepers", "date": "1998-05-04", "tags": ["Coasts"]},
               "The keepers logged every quillfeather storm.\n"),
    "mid.md": ({"title": "Harbour dredging", "date": "2015-03-10", "tags": ["Ports"], "regions": ["Nordic"]},
               "Dredgers found marrowbone clay under the quay.\n"),
    "mid2.md": ({"title": "Coastal flooding", "date": "2015-06-01", "tags": ["Climate"]}, "Seas rose.\n"),
    "new.md": ({"title": "Glacier survey", "date": "2016-11-09", "tags": ["Climate", "Arctic"],
                "regions": ["Nordic"]}, "Researchers measured the Jostedalsbreen glacier.\n"),
    "new2.md": ({"title": "Budget vote", "date": "2016-11-10", "tags": ["Economy"]}, "Parliament voted.\n"),
}


@pytest.fixture
def sharded(make_site) -> Site:
    site = make_site(search=True)
    for name, (front_matter, body) in ARTICLES.items():
        site.article(name, front_matter, body)
    return site


def bundles(site: Site) -> list[str]:
    """The bundle folders the published index lists, oldest first (it lists them newest first)."""
    return json.loads((site.output / "pagefind/shards.json").read_text())["bundles"][::-1]


def shards_of(site: Site, **options) -> tuple[int, int]:
    """Build; (shards kept, shards indexed again)."""
    return build(site.root, site.output, site.options(**options)).shards


def folder_digest(site: Site, bundle: str) -> dict[str, str]:
    return tree_digest(site.output / "pagefind" / bundle)


def test_one_bundle_per_shard_and_the_script_that_merges_them(sharded):
    assert shards_of(sharded) == (0, 3)
    listed = bundles(sharded)
    assert listed == ["1984_1999/", "2000_2015/", "2016_2031/"]  # each named after its span
    index = sharded.output / "pagefind"
    assert sorted(p.name for p in index.iterdir()) == sorted([*(b.rstrip("/") for b in listed),
                                                              "pagefind.js", "shards.json"])
    assert (index / "pagefind.js").read_bytes() == FACADE.read_bytes()
    counts = []
    for bundle in listed:
        folder = index / bundle
        assert (folder / "pagefind.js").is_file() and (folder / "pagefind-worker.js").is_file()
        assert not list(folder.glob("pagefind-*ui*")), "Pagefind's UI files are not published"
        entry = json.loads((folder / "pagefind-entry.json").read_text())
        counts.append(entry["languages"]["en"]["page_count"])
    assert counts == [1, 2, 2]  # article pages only: no list, archive, term or source page


def test_an_edit_indexes_its_own_shard_again_and_keeps_the_others_byte_for_byte(sharded):
    shards_of(sharded)
    old, mid, new = bundles(sharded)
    kept = {b: folder_digest(sharded, b) for b in (old, new)}
    inodes = {b: os.stat(sharded.output / "pagefind" / b / "pagefind.js").st_ino for b in (old, new)}
    edited = folder_digest(sharded, mid)
    sharded.article("mid.md", ARTICLES["mid.md"][0], "Dredgers found saltpetre under the quay.\n")
    assert shards_of(sharded) == (2, 1)
    assert bundles(sharded) == [old, mid, new]
    after = folder_digest(sharded, mid)
    assert after != edited
    # Pagefind names files by content: the other article's fragment is the same file as before.
    assert len(set(after.items()) & set(edited.items())) >= 4
    for bundle, digest in kept.items():
        assert folder_digest(sharded, bundle) == digest
        assert os.stat(sharded.output / "pagefind" / bundle / "pagefind.js").st_ino == inodes[bundle]  # not rewritten


@pytest.mark.parametrize("change", ["new article", "deleted article", "renamed slug", "changed filters",
                                    "changed date within the span"])
def test_a_change_indexes_only_the_shard_it_touches(sharded, change):
    shards_of(sharded)
    before = bundles(sharded)
    front_matter, body = ARTICLES["new2.md"]
    if change == "new article":
        sharded.article("new3.md", {"title": "Ferry strike", "date": "2016-11-11"}, "Crews walked out.\n")
    elif change == "deleted article":
        (sharded.root / "content/new2.md").unlink()
    elif change == "renamed slug":
        sharded.article("new2.md", {**front_matter, "slug": "budget-passes"}, body)
    elif change == "changed filters":
        sharded.article("new2.md", {**front_matter, "tags": ["Economy", "Taxes"], "regions": ["Nordic"]}, body)
    else:
        sharded.article("new2.md", {**front_matter, "date": "2017-02-01"}, body)
    assert shards_of(sharded) == (2, 1)
    assert bundles(sharded)[:2] == before[:2]


def test_a_deleted_span_drops_its_bundle(sharded):
    shards_of(sharded)
    old = bundles(sharded)[0]
    (sharded.root / "content/old.md").unlink()
    assert shards_of(sharded) == (2, 0)
    assert old not in bundles(sharded) and not (sharded.output / "pagefind" / old).exists()


def test_nothing_changed_indexes_nothing(sharded):
    shards_of(sharded)
    before = tree_digest(sharded.output / "pagefind")
    assert shards_of(sharded) == (3, 0)  # the no-op shortcut
    for path in (sharded.root / "content").glob("*.md"):  # same bytes, new stamps: every file is read again
        path.write_bytes(path.read_bytes())
    assert shards_of(sharded) == (3, 0)
    assert tree_digest(sharded.output / "pagefind") == before


def test_a_stylesheet_change_indexes_nothing_an_article_template_change_everything(sharded):
    repo = Path(__file__).resolve().parent.parent / "theme"
    sharded.write("theme/static/style.css", (repo / "static/style.css").read_text())
    shards_of(sharded)
    sharded.write("theme/static/style.css", (repo / "static/style.css").read_text() + "\n/* darker */\n")
    assert shards_of(sharded) == (3, 0)
    template = (repo / "templates/article.html").read_text()
    sharded.write("theme/templates/article.html", template.replace("<h1>", '<h1 class="headline">'))
    assert shards_of(sharded) == (0, 3)


def test_a_template_edit_that_leaves_the_pages_as_they_were_indexes_nothing(sharded):
    repo = Path(__file__).resolve().parent.parent / "theme"
    template = (repo / "templates/article.html").read_text()
    sharded.write("theme/templates/article.html", template)
    shards_of(sharded)
    sharded.write("theme/templates/article.html", template + "{# a note for the theme's editors #}\n")
    assert shards_of(sharded) == (3, 0)


def test_a_related_list_that_changes_indexes_nothing_but_the_edited_article(sharded):
    """new.md lists mid2.md (both about Climate) among its related articles, in another shard."""
    shards_of(sharded)
    glacier = sharded.read("/2016/11/09/glacier-survey/")
    front_matter, body = ARTICLES["mid2.md"]
    sharded.article("mid2.md", {**front_matter, "title": "Coastal flooding worsens"}, body)
    assert shards_of(sharded) == (2, 1)  # 2000_2015 only
    assert "Coastal flooding worsens" in sharded.read("/2016/11/09/glacier-survey/") != glacier


def test_a_bundle_file_changed_in_the_output_is_made_again(sharded):
    shards_of(sharded)
    mid = bundles(sharded)[1]
    entry = sharded.output / "pagefind" / mid / "pagefind-entry.json"
    entry.write_text("{}")
    assert shards_of(sharded) == (2, 1)
    assert json.loads((sharded.output / "pagefind" / bundles(sharded)[1] / "pagefind-entry.json").read_text())


def test_pagefind_run_by_hand_in_the_output_is_undone(sharded):
    """An editor who runs `pagefind --site public` writes a whole-site bundle over ours."""
    shards_of(sharded)
    index = sharded.output / "pagefind"
    (index / "pagefind.js").write_text("// Pagefind's own\n")
    (index / "fragment").mkdir()
    (index / "fragment" / "en_1.pf_fragment").write_bytes(b"x")
    assert shards_of(sharded) == (3, 0)
    assert (index / "pagefind.js").read_bytes() == FACADE.read_bytes()
    assert not (index / "fragment").exists()


def test_turning_search_off_removes_the_index(sharded):
    shards_of(sharded)
    sharded.write_config(search=False)
    assert shards_of(sharded) == (0, 0)
    assert not (sharded.output / "pagefind").exists()
    sharded.write_config(search=True)
    assert shards_of(sharded) == (3, 0)  # the spare still holds them, made from the same records
    assert len(bundles(sharded)) == 3 and all((sharded.output / "pagefind" / b / "pagefind.js").is_file()
                                               for b in bundles(sharded))


def test_a_site_without_articles_publishes_an_empty_list(make_site):
    site = make_site(search=True)
    assert shards_of(site) == (0, 0)
    assert bundles(site) == []


def test_a_failed_indexing_fails_the_build_and_keeps_the_published_site(sharded, monkeypatch):
    shards_of(sharded)
    before = sharded.tree()
    sharded.article("mid.md", ARTICLES["mid.md"][0], "Changed.\n")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/bin/false")
    errors = sharded.build_errors()
    assert errors == ["site.toml: search: Pagefind failed: exit 1 (pip install 'pagefind[bin]' "
                      "(it comes with digest), or set search = false)"], errors
    assert sharded.tree() == before
    monkeypatch.delenv("PAGEFIND_BINARY_PATH")
    assert shards_of(sharded) == (2, 1)  # the spare the failed build left half-updated is set right


def test_check_and_the_preview_index_nothing(sharded, monkeypatch):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/bin/false")
    sharded.check()
    memory = Pipeline(sharded.root, None, Store(), sharded.options())
    result = memory.run()
    assert result.shards == (0, 0)
    assert "search/index.html" in memory.files
    assert not [rel for rel in memory.files if rel.startswith("pagefind/")]
    assert not sharded.output.exists()


def test_profile_reports_shards_kept_and_indexed_again(sharded):
    first = sharded.cli("build", "--profile")
    assert first.exit_code == 0, first.output
    assert "search index: 3 shards, 0 reused, 3 rebuilt" in first.stdout
    sharded.article("mid.md", ARTICLES["mid.md"][0], "Changed.\n")
    second = sharded.cli("build", "--profile")
    assert "search index: 3 shards, 2 reused, 1 rebuilt" in second.stdout
    assert "  search " in second.stdout  # its own line among the stages' times
