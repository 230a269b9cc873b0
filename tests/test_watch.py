"""File watching with real watchdog observers (inotify and polling): editors' save
patterns, swap files, event storms, no self-triggering, and the ENOSPC fallback."""
from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from watchdog.observers import Observer

from digest.preview.watch import Batch, Classifier, Kind, Watcher, is_temp_name
from tests.tools import REPO_ROOT

ARTICLE = "---\ntitle: \"Watched\"\ndate: 2016-11-09\noriginal: true\n---\n\n{}\n"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "content" / "2016").mkdir(parents=True)
    (root / "theme" / "static").mkdir(parents=True)
    (root / "theme" / "templates").mkdir()
    (root / "site.toml").write_text('title = "W"\nbase_url = "https://w.example/"\n')
    (root / "content" / "2016" / "x.md").write_text(ARTICLE.format("first"))
    return root


def start(site: Path, poll: bool) -> Watcher:
    watcher = Watcher(site, site / "content", [site / "theme"], poll=poll)
    time.sleep(0.6 if poll else 0.1)  # let a polling observer take its first snapshot
    return watcher


def batches_within(watcher: Watcher, seconds: float) -> list[Batch]:
    stop = threading.Event()
    found: list[Batch] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        batch = watcher.next_batch(stop, timeout=max(0.05, deadline - time.monotonic()))
        if batch is not None:
            found.append(batch)
    return found


def in_place(path: Path, text: str) -> None:
    path.write_text(text)


def vim(path: Path, text: str) -> None:
    backup = path.with_name(path.name + "~")
    os.rename(path, backup)
    path.write_text(text)
    backup.unlink()


def gedit(path: Path, text: str) -> None:
    temp = path.with_name(".goutputstream-ABC123")
    temp.write_text(text)
    os.replace(temp, path)


def jetbrains(path: Path, text: str) -> None:
    temp = path.with_name(path.name + "___jb_tmp___")
    old = path.with_name(path.name + "___jb_old___")
    temp.write_text(text)
    os.rename(path, old)
    os.rename(temp, path)
    old.unlink()


@pytest.mark.parametrize("poll", [False, True], ids=["inotify", "polling"])
@pytest.mark.parametrize("save", [in_place, vim, gedit, jetbrains])
def test_each_editor_save_gives_exactly_one_batch(site, poll, save):
    watcher = start(site, poll)
    try:
        article = site / "content" / "2016" / "x.md"
        save(article, ARTICLE.format(f"saved by {save.__name__}"))
        found = batches_within(watcher, 2.5 if poll else 1.0)
        assert len(found) == 1, found
        assert found[0].kinds == {Kind.CONTENT}
        assert all(not is_temp_name(p.name) for p in found[0].paths)
        assert article.read_text().count(save.__name__) == 1
        assert sorted(p.name for p in (site / "content" / "2016").iterdir()) == ["x.md"]
    finally:
        watcher.stop()


@pytest.mark.parametrize("poll", [False, True], ids=["inotify", "polling"])
def test_swap_file_writes_alone_give_no_batch(site, poll):
    watcher = start(site, poll)
    try:
        swap = site / "content" / "2016" / ".x.md.swp"
        for i in range(50):
            swap.write_text(f"swap {i}")
        found = batches_within(watcher, 2.0 if poll else 1.0)
        assert found == []
    finally:
        watcher.stop()


def test_stylesheet_only_change_is_recognised(site):
    watcher = start(site, poll=False)
    try:
        (site / "theme" / "static" / "style.css").write_text("body{}")
        (found,) = batches_within(watcher, 1.0)
        assert found.styles_only and found.kinds == {Kind.STATIC}
        (site / "theme" / "templates" / "base.html").write_text("x")
        (found,) = batches_within(watcher, 1.0)
        assert not found.styles_only and found.kinds == {Kind.TEMPLATE}
        (site / "site.toml").write_text('title = "W2"\nbase_url = "https://w.example/"\n')
        (found,) = batches_within(watcher, 1.0)
        assert found.kinds == {Kind.CONFIG}
    finally:
        watcher.stop()


def test_event_storm_of_2000_files_gives_at_most_two_batches(site):
    watcher = start(site, poll=False)
    try:
        folder = site / "content" / "branch"
        folder.mkdir()
        started = time.monotonic()
        for i in range(2000):  # a branch switch: 2,000 files within a few hundred ms
            (folder / f"a{i:04d}.md").write_text(ARTICLE.format(i))
        written = time.monotonic() - started
        found = batches_within(watcher, 2.5)
        assert 1 <= len(found) <= 2, (len(found), written)
        assert len(set().union(*(b.paths for b in found))) >= 2000
    finally:
        watcher.stop()


def test_an_edit_during_a_build_triggers_one_more_batch(site):
    watcher = start(site, poll=False)
    stop = threading.Event()
    try:
        article = site / "content" / "2016" / "x.md"
        article.write_text(ARTICLE.format("one"))
        assert watcher.next_batch(stop, timeout=2) is not None
        article.write_text(ARTICLE.format("two"))  # while "building" the first batch
        time.sleep(0.3)
        assert watcher.next_batch(stop, timeout=2) is not None
        assert watcher.next_batch(stop, timeout=0.5) is None
    finally:
        watcher.stop()


def test_enospc_falls_back_to_polling_with_a_message(site):
    calls: list[bool] = []

    def observer(poll: bool):
        calls.append(poll)
        if not poll:
            real = Observer()
            real.start = lambda: (_ for _ in ()).throw(OSError(errno.ENOSPC, "No space left on device"))
            return real
        from watchdog.observers.polling import PollingObserver
        return PollingObserver(timeout=0.5)

    watcher = Watcher(site, site / "content", [site / "theme"], observer_class=observer)
    try:
        assert calls == [False, True] and watcher.polling
        assert "polling" in (watcher.fallback_reason or "")
        time.sleep(0.6)
        (site / "content" / "2016" / "x.md").write_text(ARTICLE.format("polled"))
        assert len(batches_within(watcher, 2.5)) == 1
    finally:
        watcher.stop()


@pytest.mark.slow
def test_output_and_cache_folders_inside_the_site_never_trigger(tmp_path):
    """digest build writing public/ (and its staging folders) inside the watched site: no batch."""
    site = tmp_path / "site"
    site.mkdir()
    shutil.copy(REPO_ROOT / "site.toml", site)
    shutil.copytree(REPO_ROOT / "content", site / "content")
    watcher = start(site, poll=False)
    try:
        idle = float(os.environ.get("DIGEST_IDLE_SECONDS", "60"))
        deadline = time.monotonic() + idle
        builds = 0
        while time.monotonic() < deadline:
            subprocess.run([sys.executable, "-m", "digest", "build", "--site", str(site)],
                           check=True, capture_output=True)
            builds += 1
            assert watcher.next_batch(threading.Event(), timeout=min(2.0, max(0.1, deadline - time.monotonic()))) is None
        assert builds >= 2 and (site / "public" / "index.html").exists()
    finally:
        watcher.stop()


# ---------------------------------------------------------------- the site as the editor names it


@pytest.mark.parametrize("poll", [False, True], ids=["inotify", "polling"])
@pytest.mark.parametrize("spelling", [".", "site", "./site/", "../here/../site"])
def test_relative_site_paths_see_every_save(site, poll, spelling, monkeypatch):
    """`digest serve` started in the site folder watches '.'; every spelling sees a save."""
    (site.parent / "here").mkdir()
    monkeypatch.chdir(site if spelling == "." else site.parent / "here" if spelling.startswith("..")
                      else site.parent)
    relative = Path(spelling)
    watcher = Watcher(relative, relative / "content", [relative / "theme"], poll=poll)
    time.sleep(0.6 if poll else 0.1)
    try:
        (site / "content" / "2016" / "x.md").write_text(ARTICLE.format("saved"))
        (found,) = batches_within(watcher, 2.5 if poll else 1.0)
        assert found.kinds == {Kind.CONTENT}
        (site / "theme" / "templates" / "base.html").write_text("x")
        (found,) = batches_within(watcher, 2.5 if poll else 1.0)
        assert found.kinds == {Kind.TEMPLATE}
        (site / "site.toml").write_text('title = "W2"\nbase_url = "https://w.example/"\n')
        (found,) = batches_within(watcher, 2.5 if poll else 1.0)
        assert found.kinds == {Kind.CONFIG}
    finally:
        watcher.stop()


def test_classifier_judges_relative_and_absolute_spellings_alike(site, monkeypatch):
    monkeypatch.chdir(site)
    classifier = Classifier(Path("."), Path("content"), [Path("theme")])
    for spelling in ("content/2016/x.md", str(site / "content/2016/x.md"), "./content/../content/2016/x.md"):
        assert classifier.kind(Path(spelling)) == Kind.CONTENT, spelling
    assert classifier.kind(Path("site.toml")) == Kind.CONFIG
    assert classifier.kind(Path("theme/static/a.css")) == Kind.STATIC
    assert classifier.kind(Path("theme/templates/a.html")) == Kind.TEMPLATE
    assert classifier.kind(Path("public/index.html")) is None
    assert classifier.kind(Path("content/_drafts/x.md")) is None
    assert classifier.kind(Path("content/2016/notes.txt")) is None
    assert classifier.kind(Path("content/2016"), is_dir=True) == Kind.CONTENT


def test_classifier_sees_through_a_symlinked_site_folder(site, tmp_path, monkeypatch):
    link = tmp_path / "link-to-site"
    link.symlink_to(site)
    classifier = Classifier(link, link / "content", [link / "theme"])
    assert classifier.kind(site / "content" / "2016" / "x.md") == Kind.CONTENT
    assert classifier.kind(link / "content" / "2016" / "x.md") == Kind.CONTENT
    assert classifier.kind(site / "site.toml") == Kind.CONFIG


# ---------------------------------------------------------------- folders that appear later


@pytest.mark.parametrize("poll", [False, True], ids=["inotify", "polling"])
def test_a_theme_folder_made_after_the_start_is_watched(site, poll, monkeypatch):
    shutil.rmtree(site / "theme")
    monkeypatch.chdir(site)
    watcher = Watcher(Path("."), Path("content"), [Path("theme")], poll=poll)
    time.sleep(0.6 if poll else 0.1)
    wait = 2.5 if poll else 1.0
    try:
        (site / "theme" / "templates").mkdir(parents=True)
        (found,) = batches_within(watcher, wait)
        assert Kind.TEMPLATE in found.kinds
        time.sleep(0.6 if poll else 0.05)
        (site / "theme" / "templates" / "article.html").write_text("mine")
        (found,) = batches_within(watcher, wait)
        assert found.kinds == {Kind.TEMPLATE}
        (site / "theme" / "templates" / "article.html").write_text("mine, again")
        (found,) = batches_within(watcher, wait)
        assert found.kinds == {Kind.TEMPLATE}
    finally:
        watcher.stop()


def test_content_and_site_toml_that_appear_later_are_watched(tmp_path, monkeypatch):
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.chdir(site)
    watcher = Watcher(Path("."), Path("content"), [Path("theme")])
    time.sleep(0.1)
    try:
        (site / "site.toml").write_text('title = "W"\nbase_url = "https://w.example/"\n')
        (found,) = batches_within(watcher, 1.0)
        assert found.kinds == {Kind.CONFIG}
        (site / "content" / "2016" / "11").mkdir(parents=True)
        (found,) = batches_within(watcher, 1.0)
        assert found.kinds == {Kind.CONTENT}
        time.sleep(0.05)
        (site / "content" / "2016" / "11" / "a.md").write_text(ARTICLE.format("new"))
        (found,) = batches_within(watcher, 1.0)
        assert found.kinds == {Kind.CONTENT}
        assert Path("content/2016/11/a.md").resolve() in {p.resolve() for p in found.paths}
    finally:
        watcher.stop()


def test_a_content_folder_deleted_and_made_again_is_watched_again(site):
    watcher = start(site, poll=False)
    try:
        shutil.rmtree(site / "content")
        assert batches_within(watcher, 1.0)
        (site / "content" / "2017").mkdir(parents=True)
        assert batches_within(watcher, 1.0)
        time.sleep(0.05)
        (site / "content" / "2017" / "b.md").write_text(ARTICLE.format("back"))
        (found,) = batches_within(watcher, 1.0)
        assert found.kinds == {Kind.CONTENT}
    finally:
        watcher.stop()


def test_a_theme_named_in_site_toml_is_followed(site, tmp_path):
    other = tmp_path / "themes" / "mine"
    watcher = start(site, poll=False)
    try:
        watcher.retarget(site / "content", [other])
        other.joinpath("templates").mkdir(parents=True)  # made after: its parents are watched
        assert Kind.TEMPLATE in set().union(*(b.kinds for b in batches_within(watcher, 1.0)))
        time.sleep(0.05)
        (other / "templates" / "base.html").write_text("x")
        (found,) = batches_within(watcher, 1.0)
        assert found.kinds == {Kind.TEMPLATE}
        (site / "theme" / "templates" / "base.html").write_text("not the theme any more")
        assert batches_within(watcher, 1.0) == []
    finally:
        watcher.stop()


def test_other_start_errors_are_raised_not_hidden(site):
    def observer(poll: bool):
        real = Observer()
        real.start = lambda: (_ for _ in ()).throw(OSError(errno.EACCES, "Permission denied"))
        return real

    with pytest.raises(OSError) as info:
        Watcher(site, site / "content", [site / "theme"], observer_class=observer)
    assert info.value.errno == errno.EACCES


def test_a_year_folder_moved_away_is_a_change(site):
    """`mv content/2016 elsewhere` is one event, for a folder named by digits (not vim's 4913)."""
    watcher = start(site, poll=False)
    try:
        os.rename(site / "content" / "2016", site / "elsewhere")
        (found,) = batches_within(watcher, 1.0)
        assert found.kinds == {Kind.CONTENT}
        (site / "content" / "4913").write_text("")  # vim's probe file still is nothing
        assert batches_within(watcher, 0.5) == []
    finally:
        watcher.stop()
