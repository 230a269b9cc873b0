"""Publishing: atomic replacement, refused output folders, host files kept, determinism."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DROP, REPO_ROOT, tree_digest

from digest.errors import OutputError


def staging_leftovers(site) -> list[str]:
    return sorted(p.name for p in site.output.parent.iterdir() if "staging" in p.name)


@pytest.fixture
def built(site):
    site.article("a.md", {"title": "A", "tags": ["Trade"]})
    site.article("b.md", {"title": "B", "date": "2016-11-10"})
    result = site.cli("build")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Built 2 articles")
    return site


def test_failed_build_leaves_previous_output_untouched(built):
    before = built.tree()
    built.article("c.md", {"title": "C", "date": "nope"})
    built.article("a.md", {"title": "A changed"})
    result = built.cli("build")
    assert result.exit_code == 1
    assert "nothing was written" in result.stderr
    assert built.tree() == before
    assert staging_leftovers(built) == []


def test_theme_error_during_rendering_leaves_previous_output_untouched(built):
    before = built.tree()
    built.write("theme/templates/article.html", '{% extends "base.html" %}{% block main %}'
                                                "{{ article.no_such_field.deeper }}{% endblock %}\n")
    result = built.cli("build")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "article.html" in result.stderr
    assert built.tree() == before
    assert staging_leftovers(built) == []


def test_theme_syntax_error_is_reported_with_its_line(built):
    built.write("theme/templates/partials/item.html", "<p>\n{% if item.title %}\n{{ item.title }\n")
    result = built.cli("build")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "partials/item.html:3:" in result.stderr


def test_successful_rebuild_replaces_the_output(built):
    (built.output / "stale.html").write_text("old")
    built.article("b.md", {"title": "B renamed", "date": "2016-11-10"})
    built.build()
    assert not (built.output / "stale.html").exists()
    assert built.exists("/2016/11/10/b-renamed/")
    assert 'http-equiv="refresh"' in built.read("/2016/11/10/b/")  # the old URL now only redirects
    assert staging_leftovers(built) == []


@pytest.mark.parametrize("name", ["CNAME", ".nojekyll"])
def test_host_files_survive_a_rebuild(built, name):
    (built.output / name).write_text("digest.example.org\n")
    built.build()
    built.build()
    assert (built.output / name).read_text() == "digest.example.org\n"


def test_git_folder_in_the_output_survives(built):
    (built.output / ".git").mkdir()
    (built.output / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n")
    built.build()
    assert (built.output / ".git" / "HEAD").read_text() == "ref: refs/heads/gh-pages\n"


def test_output_is_the_site_folder_refused(built):
    before = tree_digest(built.root)
    result = built.cli("build", "--output", str(built.root))
    assert result.exit_code == 1
    assert "refusing to build the site" in result.stderr
    assert "Traceback" not in result.output
    assert tree_digest(built.root) == before


@pytest.mark.parametrize("target", ["..", "content", "content/sub", "theme"])
def test_output_around_the_site_refused(built, target):
    built.write("theme/static/extra.css", "x")
    output = (built.root / target).resolve()
    with pytest.raises(OutputError, match="refusing"):
        built.build(output=output)
    with pytest.raises(OutputError):
        built.build(output=output, force=True)


@pytest.mark.parametrize("target", ["themes/house", "themes/house/public", "themes"])
def test_output_at_a_theme_folder_named_in_site_toml_refused(built, tmp_path, target):
    """A theme kept outside the site (theme = "../themes/house") is as precious as theme/."""
    theme = tmp_path / "themes" / "house"
    (theme / "static").mkdir(parents=True)
    (theme / "static" / "house.css").write_text("body { color: teal }\n")
    built.write_config(theme=str(Path("..") / "themes" / "house"))
    before = tree_digest(theme)
    with pytest.raises(OutputError, match="theme folder"):
        built.build(output=tmp_path / target, force=True)
    assert tree_digest(theme) == before


def test_output_holding_another_site_refused(built, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "site.toml").write_text('title = "Other"\n')
    with pytest.raises(OutputError, match="site.toml or content/"):
        built.build(output=other, force=True)
    content_only = tmp_path / "other2"
    (content_only / "content").mkdir(parents=True)
    with pytest.raises(OutputError):
        built.build(output=content_only, force=True)
    assert (other / "site.toml").read_text() == 'title = "Other"\n'


def test_foreign_non_empty_folder_needs_force(built, tmp_path):
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    result = built.cli("build", "--output", str(foreign))
    assert result.exit_code == 1
    assert "--force" in result.stderr
    assert [p.name for p in foreign.iterdir()] == ["notes.txt"]
    forced = built.cli("build", "--output", str(foreign), "--force")
    assert forced.exit_code == 0, forced.output
    assert (foreign / "index.html").is_file()
    assert not (foreign / "notes.txt").exists()
    # it is digest's now: the next build needs no --force
    assert built.cli("build", "--output", str(foreign)).exit_code == 0


def test_empty_folder_and_missing_folder_are_fine(built, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    built.build(output=empty)
    assert (empty / "index.html").is_file()
    deep = tmp_path / "a" / "b" / "out"
    built.build(output=deep)
    assert (deep / "index.html").is_file()


def test_output_that_is_a_file_refused(built, tmp_path):
    target = tmp_path / "file"
    target.write_text("x")
    with pytest.raises(OutputError):
        built.build(output=target, force=True)
    assert target.read_text() == "x"


def test_default_output_is_public_and_marked(built):
    assert (built.output / ".digest-output").is_file()
    assert (built.output / "index.html").is_file()


# ---------------------------------------------------------------- determinism


def rich_site(site) -> None:
    site.write_config(sources={"Andes Wire": {"disclaimer": "translation", "description": "Lima."}})
    for n in range(12):
        site.article(f"a{n}.md", {
            "title": f"Story {n} & more", "date": f"2016-11-{n + 1:02d}T{n:02d}:30:00+0{n % 9}:00",
            "tags": ["Trade", "trade", f"T{n % 3}", "C++"], "regions": ["Дипломатия", "Europe"],
            "authors": ["B", "A"], "source": {"name": ["Andes Wire", "Other"][n % 2]},
            "summary": DROP if n % 2 else "Summary.",
        }, f"Body {n} with a [link](https://x.example/{n}) and a footnote.[^1]\n\n[^1]: Note {n}.\n")


def test_two_builds_are_byte_identical(site, tmp_path):
    rich_site(site)
    site.build(output=tmp_path / "one")
    site.build(output=tmp_path / "two")
    one, two = tree_digest(tmp_path / "one"), tree_digest(tmp_path / "two")
    assert len(one) > 50
    assert one == two


def test_rebuild_in_place_is_byte_identical(site):
    rich_site(site)
    site.build()
    first = site.tree()
    site.build()
    assert site.tree() == first


def test_builds_in_separate_processes_are_byte_identical(site, tmp_path):
    """Different hash seeds: no set or dict ordering leaks into the output."""
    rich_site(site)
    trees = []
    for seed in ("1", "2"):
        out = tmp_path / f"out{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(REPO_ROOT)}
        result = subprocess.run([sys.executable, "-m", "digest", "build", "--site", str(site.root),
                                 "--output", str(out)], capture_output=True, text=True, env=env, timeout=120)
        assert result.returncode == 0, result.stderr
        trees.append(tree_digest(out))
    assert trees[0] == trees[1]


def test_file_order_on_disk_does_not_matter(make_site, tmp_path):
    first, second = make_site("first"), make_site("second")
    articles = [(f"x{n}.md", {"title": f"Same day {n}", "tags": ["A", "a"]}) for n in range(5)]
    for path, fm in articles:
        first.article(path, fm)
    for path, fm in reversed(articles):
        second.article(path, fm)
    first.build(output=tmp_path / "o1")
    second.build(output=tmp_path / "o2")
    assert tree_digest(tmp_path / "o1") == tree_digest(tmp_path / "o2")


# ---------------------------------------------------------------- nothing outside the output


def test_nothing_is_written_outside_the_output(make_site, tmp_path):
    site = make_site()
    site.article("a.md", {"title": "../../../escape", "slug": "....", "tags": ["../../x", "..", "/etc"]})
    site.article("b.md", {"title": "B", "source": {"name": "../../outlet"}, "regions": ["a/../../b"]})
    before = {p for p in tmp_path.rglob("*")}
    errors = []
    try:
        site.build()
    except Exception as exc:  # rejected is as good as cleaned
        errors.append(exc)
    after = {p for p in tmp_path.rglob("*")} - before
    cache = (site.root / ".digest-cache").resolve()  # the build cache (bodies are stored as they are parsed)
    assert all(p.resolve().is_relative_to(site.output.resolve()) or p.resolve().is_relative_to(cache)
               for p in after), sorted(after)
    if not errors:
        for path in site.output.rglob("*"):
            assert ".." not in path.relative_to(site.output).parts
