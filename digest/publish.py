"""Atomic output: build into a staging folder beside the output, then swap it in.

A failed build leaves the published folder byte-identical and removes its
staging folder. We only ever replace a folder we made (it carries a marker),
never the site itself, and never write outside the staging folder.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from digest.errors import OutputError

MARKER = ".digest-output"
KEEP = (".git", "CNAME", ".nojekyll")  # files a host needs that we must carry over
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def check_output(output: Path, site_root: Path, force: bool = False) -> None:
    """Refuse output folders whose replacement would destroy the editor's work."""
    out, root = output.resolve(), site_root.resolve()
    home = Path.home().resolve()
    reason = None
    if out == root or out in root.parents:
        reason = "is the site folder or one of its parents"
    elif out == Path(out.anchor) or out == home:
        reason = "is the file-system root or your home folder"
    elif any(out == d or d in out.parents for d in (root / "content", root / "theme")):
        reason = "is inside the site's content/ or theme/"
    elif (out / "site.toml").exists() or (out / "content").is_dir():
        reason = "holds a site.toml or content/ folder"
    elif out.is_dir() and not force and any(out.iterdir()) and not (out / MARKER).exists():
        reason = f"is not empty and was not made by digest (no {MARKER} marker); pass --force to replace it"
    elif out.exists() and not out.is_dir():
        reason = "exists and is not a folder"
    if reason:
        raise OutputError(str(output), f"refusing to build the site {root} into {out}: the output {reason}",
                          field="--output", hint=f"choose a folder of its own, e.g. {root / 'public'}")


class Staging:
    """A fresh folder beside the output; `commit()` swaps it in, leaving it removes it."""

    def __init__(self, output: Path) -> None:
        self.output = output.resolve()
        self.output.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_staging(self.output)
        prefix = f".{self.output.name}.staging-{os.getpid()}-"
        self.path = Path(tempfile.mkdtemp(prefix=prefix, dir=self.output.parent))
        self.committed = False

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.path.exists():
            shutil.rmtree(self.path, ignore_errors=True)

    def target(self, rel: str) -> Path:
        """Where a page goes; refuses any path that would leave the staging folder."""
        if rel.startswith(("/", "\\")) or "\\" in rel or any(p in ("..", "") for p in rel.split("/")[:-1]):
            raise OutputError(rel, "unsafe output path")
        path = self.path / rel
        if not path.resolve().is_relative_to(self.path.resolve()):
            raise OutputError(rel, "output path leaves the output folder")
        return path

    def write(self, rel: str, data: bytes) -> None:
        path = self.target(rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    def copy(self, rel: str, source: Path) -> None:
        path = self.target(rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, path)

    def commit(self, keep: Iterable[str] = KEEP) -> None:
        """Swap the staging folder in as the output, in one step where the OS allows."""
        (self.path / MARKER).write_text("made by digest; this folder is replaced on every build\n")
        if self.output.exists():
            for name in keep:
                old = self.output / name
                if old.exists() and not (self.path / name).exists():
                    os.rename(old, self.path / name)
            if not _exchange(self.path, self.output):
                backup = self.path.with_name(self.path.name + ".old")
                os.rename(self.output, backup)
                os.rename(self.path, self.output)
                self.path = backup  # removed on exit
        else:
            os.rename(self.path, self.output)
        self.committed = True


def remove_stale_staging(output: Path) -> None:
    """Remove staging folders left by builds that were killed (their process is gone)."""
    for folder in output.parent.glob(f".{output.name}.staging-*"):
        pid = folder.name.removeprefix(f".{output.name}.staging-").split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)) and folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two folders (Linux renameat2); False where unsupported."""
    name = ctypes.util.find_library("c")
    if not name:
        return False
    libc = ctypes.CDLL(name, use_errno=True)
    if not hasattr(libc, "renameat2"):
        return False
    result = libc.renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0
