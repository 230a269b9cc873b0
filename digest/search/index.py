"""The search index of one build: which shards to keep, which to index again, and their files.

The index is the output's pagefind/ folder: one Pagefind bundle per shard of the
article pages (digest/search/shards.py), in a folder named after the shard's span;
shards.json, the list of those folders (newest first); and pagefind.js (digest/search/shards.js), which
merges them into one search with Pagefind's multisite support (mergeIndex).

A shard's bundle is kept while the Pagefind program, the shard's pages and, for
each page, what its record is made from stay as they were when it was made. Of each
page two things are recorded, and either one unchanged proves its record unchanged:
the page's bytes (Pagefind reads nothing else), and its view key (the article, the
config, the article template and what it loads: what the indexed part of the page
shows). So a stylesheet or a related-articles list that changes every page's bytes
indexes nothing again, and neither does a template edit that leaves the pages' bytes
as they were; an edited article changes both.

A bundle's files are recorded in the manifest like pages, so the output checks and
the spare copy treat them alike. A kept bundle is linked into the spare where the
spare lacks its files. The others are indexed by Pagefind from the pages of the
folder about to be swapped in, after every page is in place, so the site and its
index go live together. Pagefind names its files by their content, so a shard indexed
again mostly remakes files the spare already has: only those that differ are written
(a few index files and the edited page's fragment, not the shard's hundreds).
"""
from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from digest.incremental.atomic import Stamp, stamp_of
from digest.incremental.cache import Manifest, digest_of
from digest.incremental.output_state import Target
from digest.search.bundles import Bundle, executable, identity, make_bundles, scratch
from digest.search.shards import Member, Shard, plan_shards
from digest.site.records import Plan

FOLDER = "pagefind"
LIST = f"{FOLDER}/shards.json"
ENTRY = f"{FOLDER}/pagefind.js"
FACADE = Path(__file__).with_name("shards.js")


class SearchIndex:
    """Planned before the target is completed (kept shards are linked in with the pages),
    made after (Pagefind reads the pages from the target)."""

    def __init__(self, shards: list[Shard], old: Manifest, target: Target, binary: Path) -> None:
        self.shards, self.binary, self.made_by = shards, binary, identity(binary)
        self.kept: list[tuple[Shard, Manifest]] = []  # with the manifest that holds its files
        self.todo: list[Shard] = []
        self.spare: dict[str, set[str]] = {}  # shard folder → files the spare has there, to compare
        for shard in shards:
            source = self._holder(shard, old, target)
            if source is None:
                self.todo.append(shard)
            else:
                self.kept.append((shard, source))

    @classmethod
    def plan(cls, prepared: Plan, views: Callable[[str], bytes], digests: Callable[[str], str], old: Manifest,
             target: Target) -> SearchIndex:
        """`views(url)`: the view key of an article's page; `digests(rel)`: the digest of a page's bytes."""
        by_url = prepared.index.by_url
        members = [Member(by_url[p.refs[0]].date, p.output_path, views(p.refs[0]), digests(p.output_path))
                   for p in prepared.pages if p.kind == "article"]
        return cls(plan_shards(members), old, target, executable())

    def _holder(self, shard: Shard, old: Manifest, target: Target) -> Manifest | None:
        """The manifest whose folder holds this shard's bundle intact: the last build's output
        (the spare links its files) or the spare itself; None when it must be made."""
        if target.twin is None:
            return None  # a fresh staging folder: everything is made afresh
        for source in (old, target.have):
            made_by, records, files = source.shards.get(_folder(shard), ("", (), ()))
            if made_by == self.made_by and _same(records, shard.members) and target.dirty.isdisjoint(files) \
                    and all(f in source.hashes for f in files):
                return source
        return None

    def keep(self, new: Manifest, target: Target) -> dict[str, Stamp]:
        """Record the kept bundles' files and, until the others are made, the spare's files
        in their folders; write the list of bundles and the script that merges them. The
        stamps of the files written."""
        for shard, source in self.kept:
            folder = _folder(shard)
            files = source.shards[folder][2]
            new.shards[folder] = (self.made_by, _records(shard), files)  # the same records, as they stand now
            for rel in files:
                new.pages[rel], new.hashes[rel] = source.pages[rel], source.hashes[rel]
        for shard in self.todo if target.twin is not None else ():
            have = target.have
            kept = {rel for rel in have.shards.get(_folder(shard), ("", (), ()))[2]
                    if rel in have.hashes and rel not in target.dirty}
            self.spare[_folder(shard)] = kept
            for rel in kept:  # kept in the spare (not deleted as gone) while Pagefind runs
                new.pages[rel], new.hashes[rel] = have.pages[rel], have.hashes[rel]
        stamps: dict[str, Stamp] = {}
        # Newest first: results that score alike (a search by filters alone) come newest shard first.
        listing = {"bundles": [f"{s.folder}/" for s in reversed(self.shards)]}
        for rel, data in ((LIST, json.dumps(listing, indent=0).encode()), (ENTRY, FACADE.read_bytes())):
            digest = digest_of(data)
            new.pages[rel], new.hashes[rel] = f"search:{digest}", digest
            if target.differs(rel, digest):
                stamp = target.write(rel, data)
                if stamp is not None:
                    stamps[rel] = stamp
        return stamps

    def make(self, new: Manifest, old: Manifest, target: Target, workers: int) -> tuple[dict[str, Stamp], set[str]]:
        """Index the other shards from the completed target: the stamps of the files written,
        and the folders whose entries changed."""
        root = target.folder
        stamps: dict[str, Stamp] = {}
        touched: set[str] = set()
        with scratch() as work:
            # A fresh staging folder gets Pagefind's files as they are; the spare, only those it lacks.
            base = root / FOLDER if target.twin is None else work
            make_bundles(self.binary, root, [Bundle(s.pages, base / s.folder) for s in self.todo], workers, work)
            for shard in self.todo:
                touched |= self._put(shard, base / shard.folder, new, old, target, stamps)
        return stamps, touched | {rel.rpartition("/")[0] for rel in stamps}

    def _put(self, shard: Shard, made_in: Path, new: Manifest, old: Manifest, target: Target,
             stamps: dict[str, Stamp]) -> set[str]:
        """One bundle Pagefind made, in place and in the manifest; the folders whose entries it removed."""
        folder = _folder(shard)
        had = self.spare.get(folder, set())
        made = []
        for rel, data in _files(made_in, folder):
            made.append(rel)
            digest = digest_of(data)
            new.pages[rel], new.hashes[rel] = f"search:{folder}", digest
            stamp = _install(rel, data, digest, old, target, had)
            if stamp is not None:
                stamps[rel] = stamp
        new.shards[folder] = (self.made_by, _records(shard), tuple(sorted(made)))
        gone = sorted(had - set(made))
        for rel in gone:
            del new.pages[rel], new.hashes[rel]
        return target.twin.delete(gone) if gone and target.twin is not None else set()

    @property
    def counts(self) -> tuple[int, int]:
        """Shards kept, shards indexed again."""
        return len(self.kept), len(self.todo)


def _folder(shard: Shard) -> str:
    return f"{FOLDER}/{shard.folder}"


Records = tuple[tuple[str, bytes, str], ...]  # each page of a shard: path, view key, digest of its bytes


def _records(shard: Shard) -> Records:
    return tuple((m.rel, m.view, m.digest) for m in shard.members)


def _same(records: Records, members: tuple[Member, ...]) -> bool:
    """The pages a bundle was made from are these, and each has its view key or its bytes still."""
    return len(records) == len(members) and all(
        rel == m.rel and (view == m.view or (digest == m.digest and digest != ""))
        for (rel, view, digest), m in zip(records, members))


def _files(base: Path, folder: str) -> Iterator[tuple[str, bytes]]:
    """Every file Pagefind wrote in one bundle folder, by its path in the output."""
    for path, _, names in os.walk(base):
        for name in names:
            full = os.path.join(path, name)
            with open(full, "rb") as f:
                yield f"{folder}/{os.path.relpath(full, base)}", f.read()


def _install(rel: str, data: bytes, digest: str, old: Manifest, target: Target,
             spare: set[str]) -> Stamp | None:
    """Put one file of a bundle in place; its stamp when it is not the target's already."""
    if target.twin is None:  # Pagefind wrote it there
        info = os.lstat(target.folder / rel)
        return stamp_of(info)
    if rel in spare and target.have.hashes.get(rel) == digest:
        return None  # the spare's copy is the same file
    if old.hashes.get(rel) == digest and rel not in target.dirty:
        return target.twin.link(rel)  # the published one is: share it
    return target.write(rel, data)
