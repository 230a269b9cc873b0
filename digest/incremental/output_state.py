"""The output as a build left it, and where the next build writes.

After every build the manifest records the stamp (size, mtime, inode) of each
file and folder we wrote. The next build checks them: a file someone edited or
removed is rendered again, an entry someone added is deleted, and an output
whose folders were replaced is built afresh. `Target` is where a build writes:
memory, a new staging folder, or the output's spare copy (publish.Twin).
"""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from digest.incremental.atomic import KEEP, MARKER, Staging, Stamp, Twin, stamp_of
from digest.incremental.cache import Manifest


def verify(root: Path | None, manifest: Manifest | None, files: bool = True,
           folders: bool = True) -> OutputState | None:
    """Which of our files in `root` were changed and what was added since we wrote it;
    None when it must be made afresh (missing, replaced, or never built). Without
    `files`, only the folders are checked (for new entries); without `folders` either,
    only the marker."""
    if manifest is None or not manifest.pages:
        return None
    if root is None:
        return OutputState(set(), set())
    try:
        marker = os.lstat(root / MARKER)
    except OSError:
        return None
    if manifest.stamps.get(MARKER) != stamp_of(marker):
        return None
    dirty: set[str] = set()
    foreign: set[str] = set()
    stirred: set[str] = set()
    base = f"{root}/"
    lstat = os.lstat
    for rel, (ino, mtime) in (manifest.dirs if folders else {}).items():
        try:
            info = lstat(base + rel if rel else str(root))
        except OSError:
            return None
        if not stat.S_ISDIR(info.st_mode) or (rel and info.st_ino != ino):
            return None
        if info.st_mtime_ns != mtime:
            stirred.add(rel)
            foreign |= strangers(root, rel, manifest)
    if files:
        for rel, stamp in manifest.stamps.items():
            try:
                info = lstat(base + rel)
            except OSError:
                dirty.add(rel)
                continue
            if stamp_of(info) != stamp or not stat.S_ISREG(info.st_mode):
                dirty.add(rel)
    dirty |= {rel for rel in manifest.pages if rel not in manifest.stamps}
    return OutputState(dirty, foreign, stirred)




def strangers(root: Path, folder: str, manifest: Manifest) -> set[str]:
    """Entries of one output folder that no build of ours made (or a killed one left)."""
    found = set()
    for entry in os.scandir(root / folder if folder else root):
        rel = f"{folder}/{entry.name}" if folder else entry.name
        if rel in manifest.pages or rel in manifest.dirs or (not folder and entry.name in (MARKER, *KEEP)):
            continue
        found.add(rel)
    return found


@dataclass
class OutputState:
    dirty: set[str]  # our files that someone changed or removed
    foreign: set[str]  # entries someone added
    stirred: set[str] = field(default_factory=set)  # folders whose entries changed since we recorded them

    @property
    def clean(self) -> bool:
        return not self.dirty and not self.foreign


@dataclass
class Target:
    """Where a build writes, and what is there already."""

    staging: Staging | None
    twin: Twin | None
    have: Manifest  # what the target holds now (the spare's manifest, or the memory site's)
    dirty: set[str]  # files the target holds whose bytes we cannot vouch for
    foreign: set[str]  # entries to delete from the target
    settled: dict[str, tuple[int, int]] = field(default_factory=dict)  # folder stamps checked as the build began
    stirred: bool = True  # the output's folders had changed since we recorded them
    keep: bool = True  # of a memory target: keep the bytes (the preview) or drop them (`digest check`)

    def differs(self, rel: str, digest: str) -> bool:
        return self.staging is not None or rel in self.dirty or self.have.hashes.get(rel) != digest

    def write(self, rel: str, data: bytes) -> Stamp | None:
        if self.staging is not None:
            return self.staging.write(rel, data)
        if self.twin is not None:
            return self.twin.write(rel, data)
        return None

    @property
    def folder(self) -> Path:
        """The complete new site, before it is swapped in."""
        built = self.staging or self.twin
        assert built is not None
        return built.path

    def commit(self) -> None:
        if self.staging is not None:
            self.staging.commit()
            self.staging.__exit__(None, None, None)
        elif self.twin is not None:
            self.twin.commit()

    def discard(self) -> None:
        if self.staging is not None:
            self.staging.__exit__(None, None, None)


def record(root: Path, manifest: Manifest, known: dict[str, tuple[int, int]], touched: set[str]) -> None:
    """Stamps of the marker and of every folder, so the next build can tell if anyone touched them.

    `known` holds stamps checked when the build began (the spare's) and `touched` the folders
    the build changed entries of: a known folder outside it keeps its stamp, unread (a 10,000-
    article edit would otherwise lstat 21,000 folders to learn nothing)."""
    folders = {""}
    for rel in manifest.pages:
        parent = rel.rpartition("/")[0]
        while parent not in folders:
            folders.add(parent)
            parent = parent.rpartition("/")[0]
    fresh = {""} | touched
    fresh |= {rel.rpartition("/")[0] for rel in folders if rel not in known}  # a new folder changes its parent
    base, lstat = f"{root}/", os.lstat  # strings: a Path per folder costs more than its lstat
    for rel in folders:
        if rel in known and rel not in fresh:
            manifest.dirs[rel] = known[rel]
            continue
        info = lstat(base + rel)
        manifest.dirs[rel] = (info.st_ino, info.st_mtime_ns)
    info = lstat(base + MARKER)
    manifest.stamps[MARKER] = stamp_of(info)

