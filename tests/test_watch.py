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

from digest.watch import Batch, Kind, Watcher, is_temp_name
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
