"""Pagefind bundles: the Pagefind CLI run on a few pages of a built site at a time.

Each bundle is made by a Pagefind process of its own, given only its pages: a scratch
folder of symbolic links mirrors their paths below the site (so each keeps its URL)
and is Pagefind's --site. On tmpfs the links cost microseconds; the alternatives cost
more than the indexing of a small bundle (hard links and folders on a slow disk take
milliseconds each, and a --glob naming the pages makes Pagefind walk the whole site
for every bundle). Bundles are made as many at a time as there are workers.

Pagefind runs in the scratch folder with its PAGEFIND_* settings removed from the
environment, so a pagefind.yml or a variable meant for another run cannot change
what one bundle holds. The Pagefind UI scripts it writes beside each bundle are not
kept: the search page uses pagefind.js alone.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from digest.errors import BuildFailed, DigestError

TIMEOUT = 600  # seconds per bundle; a bundle of 300 pages takes about one
SCRATCH = Path("/dev/shm")  # tmpfs on Linux; elsewhere the system's temporary folder
UI_FILES = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
            "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")
REQUIRED = ("pagefind.js", "pagefind-entry.json")


class SearchError(DigestError):
    """Pagefind is missing or failed on the built site."""


@dataclass(frozen=True)
class Bundle:
    """One Pagefind bundle to make: which pages of the site it indexes, and where it goes."""

    pages: tuple[str, ...]  # below the site folder
    folder: Path


def executable() -> Path:
    """The Pagefind binary: PAGEFIND_BINARY_PATH (the Pagefind wrapper's own override),
    else the one pagefind[bin] installs, else `pagefind` on PATH."""
    named = os.environ.get("PAGEFIND_BINARY_PATH")
    if named:
        return Path(named)
    try:
        from pagefind_bin import get_executable  # type: ignore[import-untyped]

        return Path(get_executable())
    except (ImportError, FileNotFoundError):
        found = shutil.which("pagefind")
        if found is None:
            raise BuildFailed([_error("could not find the Pagefind program")]) from None
        return Path(found)


def identity(binary: Path) -> str:
    """Changes when the binary does: bundles made by another Pagefind are made again."""
    try:
        info = binary.stat()
    except OSError:
        return str(binary)
    return f"{binary}:{info.st_size}:{info.st_mtime_ns}"


@contextmanager
def scratch() -> Iterator[Path]:
    """A temporary folder, on tmpfs where there is one, removed afterwards."""
    base = SCRATCH if SCRATCH.is_dir() and os.access(SCRATCH, os.W_OK) else None
    with tempfile.TemporaryDirectory(prefix="digest-search-", dir=base) as folder:
        yield Path(folder)


def make_bundles(binary: Path, site: Path, bundles: Sequence[Bundle], workers: int, work: Path) -> None:
    """Make every bundle from the pages in `site` (`work`: a scratch folder for the links);
    BuildFailed naming the first that failed."""
    if not bundles:
        return
    pool = ThreadPoolExecutor(max(1, min(workers, len(bundles))))
    try:
        futures = [pool.submit(_make, binary, site, bundle, work / f"links-{n}") for n, bundle in enumerate(bundles)]
        for future in futures:
            future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _make(binary: Path, site: Path, bundle: Bundle, farm: Path) -> None:
    _link_pages(site, bundle.pages, farm)
    shutil.rmtree(bundle.folder, ignore_errors=True)
    command = [str(binary), "--site", str(farm), "--output-path", str(bundle.folder), "--silent"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")} | {"NO_COLOR": "1"}
    try:
        result = subprocess.run(command, cwd=farm, capture_output=True, text=True, timeout=TIMEOUT,
                                env=env, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BuildFailed([_error(f"could not run Pagefind: {exc}")]) from None
    finally:
        shutil.rmtree(farm, ignore_errors=True)
    if result.returncode != 0 or not all((bundle.folder / name).is_file() for name in REQUIRED):
        detail = (result.stderr or result.stdout).strip().splitlines()[-3:]
        raise BuildFailed([_error("Pagefind failed: " + (" | ".join(detail) or f"exit {result.returncode}"))])
    for name in UI_FILES:
        (bundle.folder / name).unlink(missing_ok=True)


def _link_pages(site: Path, pages: Sequence[str], farm: Path) -> None:
    """A folder that holds, at their own paths, links to these pages of the site."""
    made = {farm}
    farm.mkdir()
    for rel in pages:
        link = farm / rel
        if link.parent not in made:
            link.parent.mkdir(parents=True, exist_ok=True)
            made.add(link.parent)
        link.symlink_to(site / rel)


def _error(message: str) -> SearchError:
    return SearchError("site.toml", message, field="search",
                       hint="pip install 'pagefind[bin]' (it comes with digest), or set search = false")
