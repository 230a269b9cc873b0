"""The preview's state and build loop: the last good site in memory, the
current errors, and a build number that open tabs wait on.

The loop takes the build function as an argument, so tests and the
incremental builder can plug in their own.
"""
from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from digest.records import BuildOptions
from digest.errors import BuildFailed, DigestError
from digest.theme import default_theme_dir

Files = Mapping[str, bytes]
BuildFn = Callable[[Iterable[Path]], Files]  # the paths known to have changed → the site
Log = Callable[[str], None]


def memory_build(site: Path, options: BuildOptions, jobs: int | None = None) -> BuildFn:
    """The build pipeline into memory (digest/pipeline.py): a save re-parses one file and
    re-renders only the pages it shows up on. The watcher's paths make sure a file saved
    twice within one clock tick is read again."""
    from digest.pipeline import memory

    pipeline = memory(site, options, jobs=jobs)

    def run(changed: Iterable[Path] = ()) -> Files:
        pipeline.run(changed)
        return MappingProxyType(pipeline.files)

    return run


def theme_dirs(site: Path) -> list[Path]:
    """The theme folders a preview watches: the one site.toml names (theme/ while site.toml
    cannot be read), then the default theme."""
    from digest.config import load_config

    try:
        site_theme = load_config(site).theme_dir
    except (BuildFailed, DigestError):
        site_theme = site / "theme"
    return [site_theme, default_theme_dir()]


class ServeError(Exception):
    """The preview cannot start (port taken, address unknown)."""


@dataclass
class PreviewState:
    """What the server shows; replaced whole on each build, never edited in place."""

    files: Files = field(default_factory=lambda: MappingProxyType({}))
    errors: tuple[DigestError, ...] = ()
    number: int = 0
    event: str = "reload"  # what the last build asks of open tabs: reload, css, failed
    stopping: bool = False
    changed: threading.Condition = field(default_factory=threading.Condition)

    def publish(self, files: Files, event: str) -> None:
        with self.changed:
            self.files, self.errors, self.event = files, (), event
            self.number += 1
            self.changed.notify_all()

    def fail(self, errors: tuple[DigestError, ...]) -> None:
        with self.changed:
            self.errors, self.event = errors, "failed"
            self.number += 1
            self.changed.notify_all()

    def stop(self) -> None:
        with self.changed:
            self.stopping = True
            self.changed.notify_all()

    def wait(self, since: int, timeout: float) -> tuple[int, str] | None:
        """Block until a build newer than `since`; None on timeout or shutdown."""
        with self.changed:
            self.changed.wait_for(lambda: self.number != since or self.stopping, timeout)
            if self.stopping or self.number == since:
                return None
            return self.number, self.event


def rebuild(state: PreviewState, build: BuildFn, log: Log, event: str = "reload",
            changed: Iterable[Path] = ()) -> bool:
    """Run one build; on failure keep the last good files and show the errors instead."""
    started = time.perf_counter()
    try:
        files = build(changed)
    except BuildFailed as exc:
        state.fail(exc.errors)
        for error in exc.errors:
            log(str(error))
        log(f"Build failed with {len(exc.errors)} error(s); still serving the last good build.")
        return False
    except DigestError as exc:
        state.fail((exc,))
        log(str(exc))
        return False
    except Exception as exc:  # a bug of ours must not kill the preview either
        error = DigestError("digest", f"internal error: {type(exc).__name__}: {exc}", field="internal",
                            hint="please report this with the file that triggered it")
        state.fail((error,))
        log(str(error))
        return False
    state.publish(files, event)
    log(f"Built {len(files)} files in {time.perf_counter() - started:.2f} s")
    return True


def run_preview(site: Path, host: str, port: int, log: Log, *, drafts: bool = True, poll: bool = False,
                allowed_hosts: frozenset[str] = frozenset(),
                on_ready: Callable[[str], None] | None = None,
                stop: threading.Event | None = None) -> None:
    """Build, serve and rebuild on every change until Ctrl-C (or `stop` is set)."""
    from digest.serve import PreviewServer, is_loopback
    from digest.watch import Kind, Watcher

    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: stop.set())  # `kill` stops as cleanly as Ctrl-C
    state = PreviewState()
    build = memory_build(site, BuildOptions(drafts=drafts, future=drafts))
    rebuild(state, build, log)
    try:
        server = PreviewServer((host, port), state, log, allowed_hosts)
    except OSError as exc:
        raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    watcher = Watcher(site, site / "content", theme_dirs(site), poll=poll)
    try:
        server.start()
        url = f"http://{'[' + host + ']' if ':' in host else host}:{server.server_address[1]}/"
        if not is_loopback(host):
            log(f"Warning: serving on {host}, reachable from other machines; "
                "only Host names given with --allow-host are accepted besides loopback.")
        if watcher.fallback_reason:
            log(watcher.fallback_reason)
        log(f"Serving {site.resolve()} at {url}  (Ctrl-C to stop)")
        if on_ready:
            on_ready(url)
        for batch in watcher.batches(stop):
            if Kind.CONFIG in batch.kinds:
                watcher.retarget(site / "content", theme_dirs(site))
            rebuild(state, build, log, "css" if batch.styles_only else "reload", batch.paths)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        watcher.stop()
        state.stop()
        server.shutdown()
        server.server_close()
        log("Stopped.")
