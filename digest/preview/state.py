"""The preview's state: the last good site in memory, the current errors, and a build
number that open tabs wait on; and one rebuild, which never lets an error through.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from digest.errors import BuildFailed, DigestError
from digest.site.records import BuildOptions

Files = Mapping[str, bytes]
BuildFn = Callable[[Iterable[Path]], Files]  # the paths known to have changed → the site
Log = Callable[[str], None]


def memory_build(site: Path, options: BuildOptions, jobs: int | None = None) -> BuildFn:
    """The build pipeline into memory (digest/site/pipeline.py): a save re-parses one file and
    re-renders only the pages it shows up on. The watcher's paths make sure a file saved
    twice within one clock tick is read again."""
    from digest.site.pipeline import memory

    pipeline = memory(site, options, jobs=jobs)

    def run(changed: Iterable[Path] = ()) -> Files:
        pipeline.run(changed)
        return MappingProxyType(pipeline.files)

    return run


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
