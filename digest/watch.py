"""watchdog → debounced, classified change batches.

Watcher threads only put paths on a queue; one loop (`Watcher.batches`)
waits for a quiet moment and hands over one batch per burst, so an atomic
save, a vim write or a `git checkout` of hundreds of files each give one
rebuild. Editors' temp, swap and hidden files never count.
"""
from __future__ import annotations

import errno
import queue
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from digest.config import CONFIG_NAME
from digest.content import is_article_name

QUIET = 0.1  # seconds without events that end a burst: one save is a few ms, but a loaded machine stalls a burst of saves for tens of ms
POLL_INTERVAL = 0.5  # polling observer's scan period
MAX_WAIT = 2.0  # a never-ending burst is still built this often
TEMP_SUFFIXES = ("~", ".swp", ".swx", ".swo", ".tmp", ".temp", ".part", ".crdownload", ".kate-swp")
TEMP_MARKERS = ("___jb_tmp___", "___jb_old___", ".goutputstream-", "~$")


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


def is_temp_name(name: str) -> bool:
    """Editors' scratch files: hidden, backup, swap, atomic-save temporaries, vim's 4913 probe."""
    return (name.startswith((".", "#", "~")) or name.endswith(TEMP_SUFFIXES)
            or any(m in name for m in TEMP_MARKERS) or name.isdigit())


class Classifier:
    """Decides which paths matter to a site and what kind of change they are."""

    def __init__(self, site: Path, content: Path, theme_dirs: list[Path]) -> None:
        self.config = (site / CONFIG_NAME).resolve()
        self.content = content.resolve()
        self.themes = [t.resolve() for t in theme_dirs]

    def kind(self, path: Path, is_dir: bool = False) -> Kind | None:
        path = path.resolve() if path.is_absolute() else path
        if path == self.config:
            return Kind.CONFIG
        if is_temp_name(path.name):
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
    def __init__(self, classifier: Classifier, events: queue.Queue[tuple[Path, Kind]]) -> None:
        self.classifier = classifier
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
            kind = self.classifier.kind(path, event.is_directory)
            if kind is not None:
                self.events.put((path, kind))


def _default_observer(poll: bool) -> BaseObserver:
    return PollingObserver(timeout=POLL_INTERVAL) if poll else Observer()


class Watcher:
    """Watches content/, theme folders and site.toml; yields one Batch per burst."""

    def __init__(self, site: Path, content: Path, theme_dirs: list[Path], poll: bool = False,
                 observer_class: Callable[[bool], BaseObserver] | None = None) -> None:
        self.observer_class = observer_class or _default_observer
        self.classifier = Classifier(site, content, theme_dirs)
        self.events: queue.Queue[tuple[Path, Kind]] = queue.Queue()
        self.site, self.content, self.theme_dirs = site, content, theme_dirs
        self.polling = poll
        self.fallback_reason: str | None = None
        self.observer = self._start(poll)

    def _start(self, poll: bool) -> BaseObserver:
        observer = self.observer_class(poll)
        handler = _Handler(self.classifier, self.events)
        for folder in (self.content, *self.theme_dirs):
            if folder.is_dir():  # a site without its own theme/ is normal
                observer.schedule(handler, str(folder), recursive=True)
        observer.schedule(handler, str(self.site), recursive=False)
        try:
            observer.start()
        except OSError as exc:
            if poll or exc.errno not in (errno.ENOSPC, errno.EMFILE):
                raise
            self.polling = True
            self.fallback_reason = f"inotify limit reached ({exc.strerror}); watching by polling instead"
            return self._start(poll=True)
        return observer

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
        return Batch(frozenset(p for p, _ in seen), frozenset(k for _, k in seen))

    def batches(self, stop: threading.Event) -> Iterator[Batch]:
        while not stop.is_set():
            batch = self.next_batch(stop)
            if batch is not None:
                yield batch
