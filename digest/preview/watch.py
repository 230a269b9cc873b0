"""watchdog → debounced, classified change batches.

Watcher threads only put paths on a queue; one loop (`Watcher.batches`)
waits for a quiet moment and hands over one batch per burst, so an atomic
save, a vim write or a `git checkout` of hundreds of files each give one
rebuild. Editors' temp, swap and hidden files never count.

Every path is made absolute before it is compared (watchdog reports paths
as they were scheduled; `digest serve` started in the site folder has a
site of '.'), and folders that appear later (a `theme/` made after the
preview started, `content/` restored by a checkout) are watched from the
batch that announces them on.
"""
from __future__ import annotations

import errno
import os
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch
from watchdog.observers.polling import PollingObserver

from digest.site.articles import is_article_name
from digest.site.config import CONFIG_NAME

QUIET = 0.1  # seconds without events that end a burst: one save is a few ms, but a loaded machine stalls a burst of saves for tens of ms
POLL_INTERVAL = 0.5  # polling observer's scan period
MAX_WAIT = 2.0  # a never-ending burst is still built this often
TEMP_SUFFIXES = ("~", ".swp", ".swx", ".swo", ".tmp", ".temp", ".part", ".crdownload", ".kate-swp")
TEMP_MARKERS = ("___jb_tmp___", "___jb_old___", ".goutputstream-", "~$")
WATCH_LIMITS = (errno.ENOSPC, errno.EMFILE)  # inotify's watch and instance limits


class Kind(str, Enum):
    CONTENT = "content"
    TEMPLATE = "template"
    STATIC = "static"
    CONFIG = "config"


@dataclass(frozen=True)
class Batch:
    """One burst of relevant changes."""

    paths: frozenset[Path]
    kinds: frozenset[Kind]

    @property
    def styles_only(self) -> bool:
        """True when only stylesheets changed: browsers can swap them without a reload."""
        return self.kinds == {Kind.STATIC} and all(p.suffix == ".css" for p in self.paths)


def is_temp_name(name: str, is_dir: bool = False) -> bool:
    """Editors' scratch files: hidden, backup, swap, atomic-save temporaries, vim's 4913 probe
    (a file; a folder named by digits is a year's, as in content/2016/)."""
    return (name.startswith((".", "#", "~")) or name.endswith(TEMP_SUFFIXES)
            or any(m in name for m in TEMP_MARKERS) or (name.isdigit() and not is_dir))


def real_path(path: Path | str) -> Path:
    """The absolute, symlink-free spelling of a path, whether or not it still exists."""
    return Path(os.path.realpath(os.path.abspath(path)))


class Classifier:
    """Decides which paths matter to a site and what kind of change they are."""

    def __init__(self, site: Path, content: Path, theme_dirs: Iterable[Path]) -> None:
        self.config = real_path(Path(site) / CONFIG_NAME)
        self.content = real_path(content)
        self.themes = tuple(real_path(t) for t in theme_dirs)

    def kind(self, path: Path, is_dir: bool = False) -> Kind | None:
        path = real_path(path)
        if path == self.config:
            return Kind.CONFIG
        if is_dir and self.content.is_relative_to(path):
            return Kind.CONTENT  # content/ itself, or a folder on the way to it, appeared or went
        if is_dir and any(theme.is_relative_to(path) for theme in self.themes):
            return Kind.TEMPLATE
        if is_temp_name(path.name, is_dir):
            return None
        if path.is_relative_to(self.content):
            rel = path.relative_to(self.content)
            if any(part.startswith((".", "_")) for part in rel.parts[:-1]):
                return None
            return Kind.CONTENT if (is_dir or is_article_name(path.name)) else None
        for theme in self.themes:
            if path.is_relative_to(theme):
                rel = path.relative_to(theme)
                if any(p.startswith(".") for p in rel.parts):
                    return None
                return Kind.STATIC if rel.parts[:1] == ("static",) else Kind.TEMPLATE
        return None


class _Handler(FileSystemEventHandler):
    def __init__(self, classify: Callable[[Path, bool], Kind | None],
                 events: queue.Queue[tuple[Path, Kind]]) -> None:
        self.classify = classify
        self.events = events

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        if event.is_directory and event.event_type == "modified":
            return  # a folder's mtime changes with every file in it; the file event says more
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            if not raw:
                continue
            path = Path(raw if isinstance(raw, str) else raw.decode())
            kind = self.classify(path, event.is_directory)
            if kind is not None:
                self.events.put((path, kind))


def _default_observer(poll: bool) -> BaseObserver:
    return PollingObserver(timeout=POLL_INTERVAL) if poll else Observer()


def _identity(folder: Path) -> tuple[int, int] | None:
    """(device, inode) of a folder, None when it is not one: a folder made again is a new watch."""
    try:
        info = folder.stat()
    except OSError:
        return None
    return (info.st_dev, info.st_ino) if folder.is_dir() else None


def _nearest_folder(path: Path) -> Path:
    while not path.is_dir() and path != path.parent:
        path = path.parent
    return path


class Watcher:
    """Watches content/, theme folders and site.toml; yields one Batch per burst."""

    def __init__(self, site: Path, content: Path, theme_dirs: list[Path], poll: bool = False,
                 observer_class: Callable[[bool], BaseObserver] | None = None) -> None:
        self.observer_class = observer_class or _default_observer
        self.site = real_path(site)
        self.classifier = Classifier(self.site, content, theme_dirs)
        self.events: queue.Queue[tuple[Path, Kind]] = queue.Queue()
        self.handler = _Handler(lambda path, is_dir: self.classifier.kind(path, is_dir), self.events)
        self.polling = poll
        self.fallback_reason: str | None = None
        self.watched: dict[tuple[Path, bool], tuple[ObservedWatch, tuple[int, int] | None]] = {}
        self.observer = self._start(poll)

    def _start(self, poll: bool) -> BaseObserver:
        observer = self.observer_class(poll)
        self.watched = {}
        try:
            observer.start()
            self._schedule(observer)
        except OSError as exc:
            if observer.is_alive():
                observer.stop()
                observer.join(timeout=2)
            if poll or exc.errno not in WATCH_LIMITS:
                raise
            self.polling = True
            self.fallback_reason = f"inotify limit reached ({exc.strerror}); watching by polling instead"
            return self._start(poll=True)
        return observer

    def wanted(self) -> dict[tuple[Path, bool], tuple[int, int] | None]:
        """(folder, recursive) → identity for every folder to watch now: the site (for site.toml
        and folders it gains), content/ and each theme, or the nearest parent of one not made yet."""
        want: dict[tuple[Path, bool], tuple[int, int] | None] = {(self.site, False): _identity(self.site)}
        for root in (self.classifier.content, *self.classifier.themes):
            identity = _identity(root)
            if identity is not None:
                want[(root, True)] = identity
            else:
                parent = _nearest_folder(root.parent)
                want.setdefault((parent, False), _identity(parent))
        return want

    def _schedule(self, observer: BaseObserver) -> None:
        want = self.wanted()
        for key in [k for k, (_, ident) in self.watched.items() if want.get(k, ()) != ident]:
            watch, _ = self.watched.pop(key)
            try:
                observer.unschedule(watch)
            except KeyError:  # its emitter already ended with the folder it watched
                pass
        for key, identity in want.items():
            if key not in self.watched and identity is not None:
                folder, recursive = key
                watch = observer.schedule(self.handler, str(folder), recursive=recursive)
                self.watched[key] = (watch, identity)

    def refresh(self) -> None:
        """Watch folders that appeared since the last look, and forget those that went."""
        try:
            self._schedule(self.observer)
        except OSError as exc:
            if self.polling or exc.errno not in WATCH_LIMITS:
                raise
            self.observer.stop()
            self.observer.join(timeout=2)
            self.polling = True
            self.fallback_reason = f"inotify limit reached ({exc.strerror}); watching by polling instead"
            self.observer = self._start(poll=True)

    def retarget(self, content: Path, theme_dirs: list[Path]) -> None:
        """Follow a site.toml that now names another theme folder."""
        self.classifier = Classifier(self.site, content, theme_dirs)
        self.refresh()

    @property
    def quiet(self) -> float:
        """A burst ends after this much calm; a polling scan may split a save, so wait one scan."""
        return POLL_INTERVAL + 0.1 if self.polling else QUIET

    def stop(self) -> None:
        self.observer.stop()
        self.observer.join(timeout=2)

    def next_batch(self, stop: threading.Event, timeout: float | None = None) -> Batch | None:
        """Wait for a change, then for QUIET seconds of calm; None when stopped or timed out."""
        deadline = None if timeout is None else time.monotonic() + timeout
        first: tuple[Path, Kind] | None = None
        while first is None and not stop.is_set():
            if deadline is not None and time.monotonic() >= deadline:
                return None
            try:
                first = self.events.get(timeout=0.2)
            except queue.Empty:
                continue
        if first is None:
            return None
        seen = [first]
        started = time.monotonic()
        while time.monotonic() - started < MAX_WAIT:
            try:
                seen.append(self.events.get(timeout=self.quiet))
            except queue.Empty:
                break
        self.refresh()  # before the rebuild reads the disk: nothing saved after it goes unseen
        return Batch(frozenset(p for p, _ in seen), frozenset(k for _, k in seen))

    def batches(self, stop: threading.Event) -> Iterator[Batch]:
        while not stop.is_set():
            batch = self.next_batch(stop)
            if batch is not None:
                yield batch
