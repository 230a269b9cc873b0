"""Atomic output: a failed build leaves the published folder byte-identical.

A full build writes a staging folder beside the output, then swaps it in
(renameat2 exchange). An incremental build updates a spare copy kept beside
the output (`Twin`: hard links, so it costs folders, not bytes) and swaps
that in the same way; either way readers see the old site or the new one,
never a mix, even if the build is killed. We only ever replace a folder we
made (it carries a marker), never the site itself, and never write outside
the output and its two siblings.
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
MARKER_TEXT = "made by digest; this folder is replaced on every build\n"
TEMP_SUFFIX = ".digest-new"
Stamp = tuple[int, int, int]  # size, mtime_ns, inode of a file we wrote


def stamp_of(info: os.stat_result) -> Stamp:
    """What tells a file we wrote from one someone replaced or edited: size, mtime, inode."""
    return (info.st_size, info.st_mtime_ns, info.st_ino)
KEEP = (".git", "CNAME", ".nojekyll")  # files a host needs that we must carry over
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def check_output(output: Path, site_root: Path, force: bool = False, theme: Path | None = None) -> None:
    """Refuse output folders whose replacement would destroy the editor's work. `theme` is
    the site's theme folder when site.toml names one elsewhere (known once it is read)."""
    out, root = output.resolve(), site_root.resolve()
    theme = theme.resolve() if theme is not None else None
    home = Path.home().resolve()
    reason = None
    if out == root or out in root.parents:
        reason = "is the site folder or one of its parents"
    elif out == Path(out.anchor) or out == home:
        reason = "is the file-system root or your home folder"
    elif any(out == d or d in out.parents for d in (root / "content", root / "theme")):
        reason = "is inside the site's content/ or theme/"
    elif theme is not None and (out == theme or theme in out.parents or out in theme.parents):
        reason = f"is, holds or is inside the site's theme folder {theme}"
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
        self.made: set[Path] = {self.path}

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.path.exists():
            shutil.rmtree(self.path, ignore_errors=True)

    def target(self, rel: str) -> Path:
        """Where a page goes; refuses any path that would leave the staging folder.

        Checked by its text alone: the staging folder is new and holds only folders
        we made, so no symlink can redirect a write.
        """
        return self.path / safe_rel(rel)

    def write(self, rel: str, data: bytes) -> Stamp:
        return write_file(self.target(rel), data, self.made)

    def copy(self, rel: str, source: Path) -> Stamp:
        return write_file(self.target(rel), source.read_bytes(), self.made)

    def commit(self, keep: Iterable[str] = KEEP) -> None:
        """Swap the staging folder in as the output, in one step where the OS allows."""
        (self.path / MARKER).write_text(MARKER_TEXT)
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


def safe_rel(rel: str) -> str:
    """An output path as given, after refusing any that could leave the output folder."""
    parts = rel.split("/")
    if (not rel or rel.startswith(("/", "\\")) or "\\" in rel or "\0" in rel
            or any(p in ("..", ".", "") for p in parts)):
        raise OutputError(rel, "is not a safe path inside the output folder", field="output-path",
                          hint="a page's path must stay inside the output: check the permalink pattern")
    return rel


def write_file(path: Path, data: bytes, made: set[Path]) -> Stamp:
    """Write a file, making its folders once per process; its stamp for the next build."""
    folder = path.parent
    if folder not in made:
        folder.mkdir(parents=True, exist_ok=True)
        made.add(folder)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        info = os.fstat(fd)
    finally:
        os.close(fd)
    return stamp_of(info)


class Twin:
    """The spare copy of the output, kept beside it: brought up to date, then swapped in.

    An incremental build writes its few changed files into the spare (each to a
    temporary name, then renamed, since unchanged files are hard links shared
    with the output), links in the files the spare lacks, deletes what is gone,
    and exchanges the two folders in one atomic rename. The old output becomes
    the spare of the next build. A build that fails or is killed leaves the
    output untouched; the spare's damage shows in its stamps and is repaired.
    """

    def __init__(self, output: Path) -> None:
        self.output = output.resolve()
        self.path = self.output.with_name(f".{self.output.name}.spare")
        self.made: set[Path] = set()

    def farm(self, rels: Iterable[str]) -> dict[str, Stamp]:
        """Make the spare afresh: every file a hard link to the output's (no bytes copied)."""
        if self.path.exists():
            if not (self.path / MARKER).exists() and any(self.path.iterdir()):
                raise OutputError(str(self.path), "is in the way of the output's spare copy and was not made by digest",
                                  field="--output",
                                  hint="move it away")
            trash = self.output.with_name(f".{self.output.name}.staging-{os.getpid()}-spare")
            os.rename(self.path, trash)  # at once: a kill now leaves a folder the next build removes
            shutil.rmtree(trash)
        self.path.mkdir()
        self.made = {self.path}
        stamps: dict[str, Stamp] = {}
        for rel in sorted(rels, key=lambda r: r != MARKER):  # the marker first: it makes the folder ours
            target = self.path / safe_rel(rel)
            if target.parent not in self.made:
                target.parent.mkdir(parents=True, exist_ok=True)
                self.made.add(target.parent)
            try:
                os.link(self.output / rel, target)
            except FileNotFoundError:
                continue  # gone from the output too: this build writes it afresh
            info = os.lstat(target)
            stamps[rel] = stamp_of(info)
        return stamps

    def write(self, rel: str, data: bytes) -> Stamp:
        target = self.path / safe_rel(rel)
        temp = target.with_name(f".{target.name}{TEMP_SUFFIX}")
        stamp = write_file(temp, data, self.made)
        os.replace(temp, target)
        return stamp

    def link(self, rel: str) -> Stamp:
        """Give the spare the output's file (its bytes are already the new ones)."""
        target = self.path / safe_rel(rel)
        temp = target.with_name(f".{target.name}{TEMP_SUFFIX}")
        if target.parent not in self.made:
            target.parent.mkdir(parents=True, exist_ok=True)
            self.made.add(target.parent)
        temp.unlink(missing_ok=True)
        os.link(self.output / rel, temp)
        os.replace(temp, target)
        temp.unlink(missing_ok=True)  # rename() does nothing when both names are links to one file
        info = os.lstat(target)
        return stamp_of(info)

    def delete(self, rels: Iterable[str]) -> set[str]:
        """Remove entries (and folders left empty); the folders whose entries changed."""
        folders = set()
        for rel in rels:
            path = self.path / safe_rel(rel)
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            folders.add(rel.rpartition("/")[0])
        return folders | prune_empty(self.path, folders)

    def commit(self, keep: Iterable[str] = KEEP) -> None:
        """Swap the spare in; the host's files (.git, CNAME) move across."""
        for name in keep:
            old = self.output / name
            if old.exists() and not (self.path / name).exists():
                os.rename(old, self.path / name)
        if not _exchange(self.path, self.output):
            raise OutputError(str(self.output), "cannot swap folders atomically here (no renameat2)",
                              field="--output", hint="build into a folder on a local Linux file system")


def prune_empty(root: Path, folders: Iterable[str]) -> set[str]:
    """Remove folders left empty by deletions (a clean build would not have them)."""
    touched: set[str] = set()
    for rel in sorted(folders, key=lambda f: -f.count("/")):
        while rel:
            try:
                os.rmdir(root / rel)
            except OSError:
                break
            rel = rel.rpartition("/")[0]
            touched.add(rel)
    return touched


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
    result: int = libc.renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0
