"""`digest serve`'s loop: build into memory, serve, and build again on every change the
watcher reports, until Ctrl-C.
"""
from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from pathlib import Path

from digest.errors import BuildFailed, DigestError
from digest.preview.state import PreviewState, memory_build, rebuild
from digest.render.theme import default_theme_dir
from digest.site.records import BuildOptions

Log = Callable[[str], None]


def theme_dirs(site: Path) -> list[Path]:
    """The theme folders a preview watches: the one site.toml names (theme/ while site.toml
    cannot be read), then the default theme."""
    from digest.site.config import load_config

    try:
        site_theme = load_config(site).theme_dir
    except (BuildFailed, DigestError):
        site_theme = site / "theme"
    return [site_theme, default_theme_dir()]


class ServeError(Exception):
    """The preview cannot start (port taken, address unknown)."""


def run_preview(site: Path, host: str, port: int, log: Log, *, drafts: bool = True, poll: bool = False,
                allowed_hosts: frozenset[str] = frozenset(),
                on_ready: Callable[[str], None] | None = None,
                stop: threading.Event | None = None) -> None:
    """Build, serve and rebuild on every change until Ctrl-C (or `stop` is set)."""
    from digest.preview.server import PreviewServer, is_loopback
    from digest.preview.watch import Kind, Watcher

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
