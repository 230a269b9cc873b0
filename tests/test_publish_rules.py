"""digest/incremental/atomic.py on its own: each refusal with its exact reason, the staging folder and the
spare copy (Twin) step by step, path checks, pruning and the clean-up of killed builds.

tests/test_publish.py covers the same code through whole builds; these pin each rule directly,
so that breaking one fails a test that names it.
"""
from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from digest.errors import OutputError
from digest.incremental import atomic as publish
from digest.incremental.atomic import (
    MARKER,
    MARKER_TEXT,
    TEMP_SUFFIX,
    Staging,
    Twin,
    _alive,
    _exchange,
    check_output,
    prune_empty,
    remove_stale_staging,
    safe_rel,
    write_file,
)

DEAD_PID = 99_999_999  # above any pid_max: no process can have it


def files(root: Path) -> dict[str, bytes]:
    """Every file under root (symlinks not followed), as relative path → bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def stamp_of(path: Path) -> tuple[int, int, int]:
    info = os.lstat(path)
    return (info.st_size, info.st_mtime_ns, info.st_ino)


def refusal(output: Path, root: Path, **kwargs) -> tuple[str, str, str | None, str | None]:
    with pytest.raises(OutputError) as caught:
        check_output(output, root, **kwargs)
    e = caught.value
    return e.path, e.message, e.field, e.hint


@pytest.fixture
def root(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "theme" / "static").mkdir(parents=True)
    (site / "site.toml").write_text('title = "T"\n')
    return site


# ---------------------------------------------------------------- check_output: each reason


def reason_of(output: Path, root: Path, **kwargs) -> str:
    path, message, field, hint = refusal(output, root, **kwargs)
    prefix = f"refusing to build the site {root.resolve()} into {output.resolve()}: the output "
    choose = f"choose a folder of its own, e.g. {root.resolve() / 'public'}"
    assert (path, field, hint) == (str(output), "--output", choose)
    assert message.startswith(prefix), message
    return message.removeprefix(prefix)


@pytest.mark.parametrize("target", [".", "..", "../.."])
def test_the_site_or_a_parent_is_refused(root, target):
    assert reason_of(root / target, root) == "is the site folder or one of its parents"


def test_home_is_refused(root, tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    assert reason_of(home, root) == "is the file-system root or your home folder"
    check_output(home / "public", root)  # a folder inside it is fine


@pytest.mark.parametrize("target", ["content", "content/sub", "theme", "theme/static", "theme/new"])
def test_content_and_theme_are_refused(root, target):
    assert reason_of(root / target, root) == "is inside the site's content/ or theme/"


@pytest.mark.parametrize("target", ["themes/house", "themes/house/public", "themes"])
def test_a_theme_folder_elsewhere_is_refused(root, tmp_path, target):
    theme = tmp_path / "themes" / "house"
    theme.mkdir(parents=True)
    assert reason_of(tmp_path / target, root, theme=theme) == \
        f"is, holds or is inside the site's theme folder {theme.resolve()}"
    check_output(tmp_path / "themes2", root, theme=theme)  # a name sharing a prefix is another folder


def test_without_a_theme_folder_a_sibling_is_fine(root, tmp_path):
    check_output(tmp_path / "public", root, theme=None)
    check_output(root / "public", root)


def test_a_folder_holding_a_site_is_refused_even_with_force(root, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "site.toml").write_text("")
    (other / MARKER).write_text(MARKER_TEXT)
    assert reason_of(other, root, force=True) == "holds a site.toml or content/ folder"
    (other / "site.toml").unlink()
    (other / "content").mkdir()
    assert reason_of(other, root, force=True) == "holds a site.toml or content/ folder"
    (other / "content").rmdir()
    (other / "content").write_text("a file named content is not a site")
    check_output(other, root)


def test_a_foreign_folder_needs_force(root, tmp_path):
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    assert reason_of(foreign, root) == \
        f"is not empty and was not made by digest (no {MARKER} marker); pass --force to replace it"
    check_output(foreign, root, force=True)
    (foreign / MARKER).write_text(MARKER_TEXT)
    check_output(foreign, root)


def test_an_empty_or_missing_folder_is_fine(root, tmp_path):
    (tmp_path / "empty").mkdir()
    check_output(tmp_path / "empty", root)
    check_output(tmp_path / "missing" / "deeper", root)


def test_a_file_is_refused_even_with_force(root, tmp_path):
    (tmp_path / "file").write_text("x")
    assert reason_of(tmp_path / "file", root, force=True) == "exists and is not a folder"


def test_the_error_names_the_output_as_given(root, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path, message, field, hint = refusal(Path("site/content"), root)
    assert path == "site/content"
    assert message == (f"refusing to build the site {root.resolve()} into {(root / 'content').resolve()}: "
                       "the output is inside the site's content/ or theme/")


# ---------------------------------------------------------------- safe_rel


@pytest.mark.parametrize("rel", ["index.html", "2016/11/09/a/index.html", "..a", "a..", ".well-known/x",
                                 "a.b/c", "a b/c"])
def test_safe_output_paths_are_kept_as_given(rel):
    assert safe_rel(rel) == rel


@pytest.mark.parametrize("rel", ["", "/etc/passwd", "\\x", "a\\b", "a\0b", "a/../b", "..", ".", "./a", "a/.",
                                 "a//b", "a/", "../a"])
def test_unsafe_output_paths_are_refused(rel):
    with pytest.raises(OutputError) as caught:
        safe_rel(rel)
    e = caught.value
    assert (e.path, e.message, e.field, e.hint) == (
        rel, "is not a safe path inside the output folder", "output-path",
        "a page's path must stay inside the output: check the permalink pattern")


# ---------------------------------------------------------------- write_file


def test_write_file_writes_exactly_the_bytes_with_mode_644(tmp_path):
    old = os.umask(0o022)
    try:
        made: set[Path] = set()
        target = tmp_path / "a" / "b" / "page.html"
        stamp = write_file(target, b"a longer first version", made)
        assert stamp == stamp_of(target) and stamp[0] == 22
        assert write_file(target, b"short", made) == stamp_of(target)  # truncated, not overwritten in place
        assert target.read_bytes() == b"short"
        assert stat.S_IMODE(target.stat().st_mode) == 0o644
        assert made == {tmp_path / "a" / "b"}  # each folder is made once
        write_file(tmp_path / "a" / "b" / "two.html", b"", made)
        assert (tmp_path / "a" / "b" / "two.html").read_bytes() == b""
    finally:
        os.umask(old)


# ---------------------------------------------------------------- Staging


def test_staging_is_a_fresh_hidden_folder_beside_the_output(tmp_path):
    output = tmp_path / "deep" / "public"
    with Staging(output) as staging:
        assert output.parent.is_dir() and not output.exists()
        assert staging.output == output.resolve()
        assert staging.path.parent == output.parent.resolve()
        assert staging.path.name.startswith(f".public.staging-{os.getpid()}-")
        assert staging.committed is False
        assert list(staging.path.iterdir()) == []
        path = staging.path
    assert not path.exists()  # left without commit: removed


def test_staging_write_and_copy(tmp_path):
    source = tmp_path / "style.css"
    source.write_bytes(b"body{}")
    with Staging(tmp_path / "public") as staging:
        stamp = staging.write("2016/index.html", b"<p>")
        assert stamp == stamp_of(staging.path / "2016" / "index.html")
        assert staging.copy("static/style.css", source) == stamp_of(staging.path / "static" / "style.css")
        assert files(staging.path) == {"2016/index.html": b"<p>", "static/style.css": b"body{}"}
        assert staging.target("a/b.html") == staging.path / "a" / "b.html"
        with pytest.raises(OutputError):
            staging.write("../escape.html", b"x")
    assert not (tmp_path / "escape.html").exists()


def test_first_commit_renames_the_staging_folder_into_place(tmp_path):
    output = tmp_path / "public"
    with Staging(output) as staging:
        staging.write("index.html", b"new")
        staging.commit()
        assert staging.committed is True
    assert files(output) == {MARKER: MARKER_TEXT.encode(), "index.html": b"new"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]


def test_commit_swaps_and_carries_the_hosts_files_over(tmp_path):
    output = tmp_path / "public"
    (output / ".git").mkdir(parents=True)
    (output / ".git" / "HEAD").write_bytes(b"ref")
    (output / "CNAME").write_bytes(b"old.example")
    (output / ".nojekyll").write_bytes(b"")
    (output / "stale.html").write_bytes(b"stale")
    with Staging(output) as staging:
        staging.write("index.html", b"new")
        staging.write("CNAME", b"new.example")  # the build's own copy wins
        staging.commit()
    assert files(output) == {MARKER: MARKER_TEXT.encode(), "index.html": b"new", "CNAME": b"new.example",
                             ".git/HEAD": b"ref", ".nojekyll": b""}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]  # the old tree is gone


def test_commit_without_renameat2_renames_twice(tmp_path, monkeypatch):
    monkeypatch.setattr(publish, "_exchange", lambda a, b: False)
    output = tmp_path / "public"
    output.mkdir()
    (output / "old.html").write_bytes(b"old")
    with Staging(output) as staging:
        name = staging.path.name
        staging.write("new.html", b"new")
        staging.commit()
        assert staging.committed is True
        assert staging.path == tmp_path / f"{name}.old"  # the old tree, removed on leaving
        assert files(staging.path) == {"old.html": b"old"}
    assert files(output) == {MARKER: MARKER_TEXT.encode(), "new.html": b"new"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]


def test_leaving_never_raises_while_cleaning_up(tmp_path):
    # __exit__ runs while a build error propagates: a clean-up failure must not replace it
    with pytest.raises(KeyError):
        with Staging(tmp_path / "public") as staging:
            staging.path.rmdir()
            staging.path.write_bytes(b"not a folder")  # rmtree fails on it
            raise KeyError("the build's own error")


# ---------------------------------------------------------------- Twin: the spare copy


@pytest.fixture
def output(tmp_path: Path) -> Path:
    out = tmp_path / "public"
    (out / "2016" / "11").mkdir(parents=True)
    (out / MARKER).write_text(MARKER_TEXT)
    (out / "index.html").write_bytes(b"home")
    (out / "2016" / "11" / "a.html").write_bytes(b"a")
    return out


RELS = [MARKER, "index.html", "2016/11/a.html"]


def test_farm_hard_links_every_file(output):
    twin = Twin(output)
    assert twin.path == output.with_name(".public.spare")
    stamps = twin.farm([MARKER, "gone.html", "index.html", "2016/11/a.html"])  # a file gone from the output is skipped
    assert files(twin.path) == files(output)
    for rel in RELS:
        assert (twin.path / rel).stat().st_ino == (output / rel).stat().st_ino
        assert stamps[rel] == stamp_of(twin.path / rel)
    assert sorted(stamps) == sorted(RELS)
    assert twin.made == {twin.path, twin.path / "2016" / "11"}


def test_farm_replaces_a_spare_of_ours_and_leaves_no_trash(output):
    spare = output.with_name(".public.spare")
    (spare / "old").mkdir(parents=True)
    (spare / MARKER).write_text(MARKER_TEXT)
    (spare / "old" / "x.html").write_bytes(b"x")
    Twin(output).farm(RELS)
    assert files(spare) == files(output)
    assert sorted(p.name for p in output.parent.iterdir()) == [".public.spare", "public"]


def test_farm_replaces_an_empty_spare(output):
    output.with_name(".public.spare").mkdir()
    assert Twin(output).farm(["index.html"]) == {"index.html": stamp_of(output / "index.html")}


def test_farm_refuses_a_foreign_folder_in_the_way(output):
    spare = output.with_name(".public.spare")
    spare.mkdir()
    (spare / "notes.txt").write_bytes(b"mine")
    with pytest.raises(OutputError) as caught:
        Twin(output).farm(RELS)
    e = caught.value
    assert (e.path, e.message, e.field, e.hint) == (
        str(spare), "is in the way of the output's spare copy and was not made by digest", "--output", "move it away")
    assert files(spare) == {"notes.txt": b"mine"}


def test_farm_links_the_marker_first(output):
    # a farm that stops half-way (here: a directory where a page should be) leaves a folder
    # that carries the marker, so the next build knows it for its own and replaces it
    (output / ".a").mkdir()
    twin = Twin(output)
    with pytest.raises(OSError):
        twin.farm([".a", MARKER, "index.html"])
    assert (twin.path / MARKER).exists()
    assert Twin(output).farm(RELS) and files(twin.path) == files(output)


def test_write_replaces_the_link_and_leaves_the_output_alone(output):
    twin = Twin(output)
    twin.farm(RELS)
    stamp = twin.write("2016/11/a.html", b"A, edited")
    assert stamp == stamp_of(twin.path / "2016" / "11" / "a.html")
    assert (twin.path / "2016" / "11" / "a.html").read_bytes() == b"A, edited"
    assert (output / "2016" / "11" / "a.html").read_bytes() == b"a"  # not written through the hard link
    assert twin.write("2017/01/new.html", b"new") == stamp_of(twin.path / "2017" / "01" / "new.html")
    assert not [p for p in twin.path.rglob(f"*{TEMP_SUFFIX}")]


def test_a_spare_kept_from_the_last_build_is_written_without_farming(output):
    Twin(output).farm(RELS)
    kept = Twin(output)  # the next build reuses the spare as it is
    assert kept.made == set()
    kept.write("2016/11/a.html", b"again")
    kept.link("index.html")
    assert (kept.path / "2016" / "11" / "a.html").read_bytes() == b"again"


def test_link_gives_the_spare_the_outputs_file(output):
    twin = Twin(output)
    twin.farm([MARKER])
    (output / "2016" / "12").mkdir()
    (output / "2016" / "12" / "b.html").write_bytes(b"b")
    stamp = twin.link("2016/12/b.html")
    assert stamp == stamp_of(output / "2016" / "12" / "b.html") == stamp_of(twin.path / "2016" / "12" / "b.html")
    assert twin.path / "2016" / "12" in twin.made
    twin.write("index.html", b"spare's own")
    twin.link("index.html")  # replaces a different file
    assert (twin.path / "index.html").stat().st_ino == (output / "index.html").stat().st_ino
    twin.link("index.html")  # already the same file: rename() does nothing, the temp name is removed
    assert not [p for p in twin.path.rglob(f"*{TEMP_SUFFIX}")]
    assert files(twin.path) == {MARKER: MARKER_TEXT.encode(), "index.html": b"home", "2016/12/b.html": b"b"}


def test_delete_removes_files_folders_and_emptied_parents(output):
    twin = Twin(output)
    twin.farm(RELS)
    (twin.path / "feed").mkdir()
    (twin.path / "feed" / "atom.xml").write_bytes(b"x")
    (twin.path / "keep").mkdir()
    (twin.path / "keep" / "k.html").write_bytes(b"k")
    elsewhere = output.parent / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "precious").write_bytes(b"p")
    (twin.path / "keep" / "link").symlink_to(elsewhere)
    touched = twin.delete(["2016/11/a.html", "feed", "keep/link", "never/was.html"])
    assert touched == {"2016/11", "2016", "", "keep", "never"}
    assert files(twin.path) == {MARKER: MARKER_TEXT.encode(), "index.html": b"home", "keep/k.html": b"k"}
    assert not (twin.path / "2016").exists() and not (twin.path / "feed").exists()
    assert files(elsewhere) == {"precious": b"p"}  # a symlink is removed, never followed


def test_delete_keeps_a_folder_that_still_holds_files(output):
    twin = Twin(output)
    twin.farm(RELS)
    (twin.path / "2016" / "11" / "b.html").write_bytes(b"b")
    assert twin.delete(["2016/11/a.html"]) == {"2016/11"}
    assert (twin.path / "2016" / "11" / "b.html").exists()


def test_twin_commit_swaps_the_spare_in(output):
    (output / "CNAME").write_bytes(b"x.example")
    twin = Twin(output)
    twin.farm(RELS)
    twin.write("index.html", b"home, new")
    twin.commit()
    assert files(output) == {MARKER: MARKER_TEXT.encode(), "index.html": b"home, new", "2016/11/a.html": b"a",
                             "CNAME": b"x.example"}
    assert (twin.path / "index.html").read_bytes() == b"home"  # the old output is the next spare


def test_twin_commit_without_renameat2_is_an_error(output, monkeypatch):
    monkeypatch.setattr(publish, "_exchange", lambda a, b: False)
    twin = Twin(output)
    twin.farm(RELS)
    with pytest.raises(OutputError) as caught:
        twin.commit()
    e = caught.value
    assert (e.path, e.message, e.field, e.hint) == (
        str(output.resolve()), "cannot swap folders atomically here (no renameat2)", "--output",
        "build into a folder on a local Linux file system")


# ---------------------------------------------------------------- prune_empty


def test_prune_empty_walks_up_until_a_folder_holds_something(tmp_path):
    (tmp_path / "a" / "b" / "c").mkdir(parents=True)
    (tmp_path / "a" / "keep.html").write_bytes(b"k")
    (tmp_path / "x" / "y").mkdir(parents=True)
    assert prune_empty(tmp_path, ["a/b/c", "x/y"]) == {"a/b", "a", "x", ""}
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == ["a", "a/keep.html"]


def test_prune_empty_goes_on_after_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "full" / "deep").mkdir(parents=True)
    (tmp_path / "full" / "deep" / "f.html").write_bytes(b"f")
    (tmp_path / "empty").mkdir()
    assert prune_empty(tmp_path, ["full/deep", "empty"]) == {""}
    assert not (tmp_path / "empty").exists() and (tmp_path / "full" / "deep" / "f.html").exists()


@pytest.mark.parametrize("order", [["a", "a/b"], ["a/b", "a"]])
def test_prune_empty_nested_folders_in_any_order(tmp_path, order):
    (tmp_path / "a" / "b").mkdir(parents=True)
    assert prune_empty(tmp_path, order) == {"a", ""}
    assert list(tmp_path.iterdir()) == []
    assert prune_empty(tmp_path, []) == set()


# ---------------------------------------------------------------- killed builds


@pytest.fixture
def live_pid():
    """A process that stays alive while the test runs (not this one: a probe must never signal it)."""
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    yield child
    child.kill()
    child.wait()


def test_remove_stale_staging_removes_only_dead_builds_folders(tmp_path, live_pid):
    output = tmp_path / "public"
    dead = [f".public.staging-{DEAD_PID}-abc123", f".public.staging-{DEAD_PID}-spare",
            f".public.staging-{DEAD_PID}-x_y.old"]
    kept = [f".public.staging-{live_pid.pid}-live", ".public.staging-abc-x", ".public.staging--1",
            f".other.staging-{DEAD_PID}-abc", f"public.staging-{DEAD_PID}-abc"]
    for name in dead + kept:
        (tmp_path / name).mkdir()
        (tmp_path / name / "page.html").write_bytes(b"x")
    (tmp_path / f".public.staging-{DEAD_PID}-file").write_bytes(b"a file, not a folder")
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes").write_bytes(b"n")
    (tmp_path / f".public.staging-{DEAD_PID}-link").symlink_to(precious)
    remove_stale_staging(output)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        kept + [f".public.staging-{DEAD_PID}-file", f".public.staging-{DEAD_PID}-link", "precious"])
    assert files(precious) == {"notes": b"n"}  # a symlink is never followed


def test_alive(live_pid):
    assert _alive(live_pid.pid) is True
    with pytest.raises(subprocess.TimeoutExpired):
        live_pid.wait(timeout=0.5)  # probing sent no signal: still running
    live_pid.kill()
    live_pid.wait()
    assert _alive(live_pid.pid) is False
    assert _alive(DEAD_PID) is False


def test_alive_when_the_process_belongs_to_someone_else(monkeypatch):
    def refuse(pid: int, signal: int) -> None:
        raise PermissionError(1, "Operation not permitted")
    monkeypatch.setattr(publish.os, "kill", refuse)
    assert _alive(1) is True


# ---------------------------------------------------------------- _exchange


def test_exchange_swaps_two_folders(tmp_path, monkeypatch):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "from-a").write_bytes(b"a")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "from-b").write_bytes(b"b")
    monkeypatch.chdir(tmp_path)
    assert _exchange(Path("a"), Path("b")) is True  # relative to the current folder
    assert files(tmp_path) == {"a/from-b": b"b", "b/from-a": b"a"}
    assert _exchange(tmp_path / "a", tmp_path / "missing") is False
    assert files(tmp_path) == {"a/from-b": b"b", "b/from-a": b"a"}
