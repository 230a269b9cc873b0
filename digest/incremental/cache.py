"""The build cache: parsed articles (bodies in digest/incremental/bodies.py's store), compiled
templates, and what each output was made from.

It lives in `<site>/.digest-cache/<key>/`, where the key changes with
digest's own code and the versions of the libraries that shape the output,
so a new digest never reads an old cache (and removes it when it saves its
own). It is only ever a shortcut: an
unreadable or missing file reads as empty, and deleting the folder costs
one full build. Parsed articles are kept in shards (by path), so an edit
rewrites one small file; the `files` table (path → size, mtime, digest) is
read on its own, so a build with nothing to do never unpickles an article.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import sqlite3
import sys
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

from digest.errors import DigestError
from digest.incremental.atomic import Stamp
from digest.incremental.bodies import Bodies
from digest.site.model import Article, Page, fast_pickle

T = TypeVar("T")

CACHE_DIR = ".digest-cache"
FORMAT = 4
SHARDS = 32
RACY_NS = 2_000_000_000  # a file changed this close to when we read it may change again unseen


@fast_pickle
@dataclass(slots=True)
class SourceFile:
    """What we know of one article file: its stat, its bytes' digest, and when we read it."""

    size: int
    mtime_ns: int
    digest: str
    read_ns: int

    def unchanged(self, size: int, mtime_ns: int) -> bool:
        """True when the stat proves the bytes are the ones we read (not racily clean)."""
        return size == self.size and mtime_ns == self.mtime_ns and mtime_ns < self.read_ns - RACY_NS


@dataclass
class Manifest:
    """One output's state after its last successful build."""

    inputs: str = ""  # fingerprint of every input, for the nothing-changed shortcut
    horizon: datetime | None = None  # the next article date: the site changes then by itself
    pictures: dict[str, tuple[int, int]] = field(default_factory=dict)  # content picture → size, mtime
    started_ns: int = 0  # when the build began: a picture changed since is checked again
    pages: dict[str, str] = field(default_factory=dict)  # output path → fingerprint of its inputs
    hashes: dict[str, str] = field(default_factory=dict)  # output path → digest of its bytes
    stamps: dict[str, Stamp] = field(default_factory=dict)  # output path → size, mtime, inode
    dirs: dict[str, tuple[int, int]] = field(default_factory=dict)  # folder → inode, mtime
    counts: tuple[int, int, int, int] = (0, 0, 0, 0)  # articles, pages, drafts, future left out
    warnings: tuple[DigestError, ...] = ()  # what the build said besides errors (a no-op says it again)
    spare: Manifest | None = None  # the output's spare copy (publish.Twin), one build behind
    checked: bool = False  # of a spare: its folders were found as recorded when it was last the output
    site: str = ""  # what every page's fingerprint shares (code, config, options, templates)
    articles: dict[str, tuple[tuple[str, bool, bytes], bytes]] = field(default_factory=dict)  # Builder.fingerprints
    shards: dict[str, tuple[str, tuple[tuple[str, bytes, str], ...], tuple[str, ...]]] = field(
        default_factory=dict)  # search bundle folder → Pagefind, records, files (digest/search/index.py)

    def pictures_unchanged(self, stat: Callable[[Path], tuple[int, int]]) -> bool:
        """True when every content picture the build showed stats as it did, not racily."""
        return all(stat(Path(path)) == known and known[1] < self.started_ns - RACY_NS
                   for path, known in self.pictures.items())


@lru_cache(maxsize=1)
def code_key() -> str:
    """Changes with digest's source, its libraries' versions and Python's."""
    import jinja2
    import markdown_it
    import mdit_py_plugins
    import nh3
    import slugify
    import yaml

    from digest import __version__

    h = hashlib.blake2b(digest_size=12)
    versions = [__version__, sys.version, FORMAT, metadata.version("ada-url"), jinja2.__version__, markdown_it.__version__,
                mdit_py_plugins.__version__, getattr(nh3, "__version__", ""), yaml.__version__,
                getattr(slugify, "__version__", "")]
    h.update(repr(versions).encode())
    package = Path(__file__).resolve().parents[1]  # digest/
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode() + path.read_bytes())
    return h.hexdigest()


def digest_of(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class Store:
    """The cache held in memory only (the preview, or a site folder we may not write)."""

    def __init__(self) -> None:
        self.config = ""
        self.sources: dict[str, SourceFile] = {}
        self.articles: dict[str, tuple[str, Article, str]] = {}  # path → (digest, article, metadata digest)
        self.plans: dict[str, tuple[str, list[Page]]] = {}  # output key → (signature, pages)
        self.manifests: dict[str, Manifest] = {}
        self.loaded = True
        self._dirty: set[int] = set()
        self.bodies: Bodies | None = None  # None: articles keep their bodies (a memory store)
        self.values: dict[str, tuple[str, Any]] = {}  # name → (digest of its bytes, value): derived()

    def use_config(self, fingerprint: str) -> None:
        """Parsed articles depend on the config: a new one drops them all."""
        if fingerprint != self.config:
            self.config = fingerprint
            self.articles.clear()
            self.loaded = True
            self._dirty = set(range(SHARDS))

    def load_articles(self) -> None:
        """Read every parsed article (disk stores read them only when a build needs them)."""
        self.loaded = True

    @property
    def templates(self) -> Path | None:
        """Where compiled templates are kept between builds (theme.Theme.compiled)."""
        return None

    def put(self, rel: str, digest: str, article: Article, meta: str) -> None:
        self.articles[rel] = (digest, article, meta)
        self._dirty.add(shard_of(rel))

    def plan(self, key: str) -> tuple[str, list[Page]] | None:
        """The pages of the last successful build of an output, with what they were planned from."""
        return self.plans.get(key)

    def save_plan(self, key: str, signature: str, pages: list[Page]) -> None:
        self.plans[key] = (signature, pages)

    def forget(self, rels: Iterable[str]) -> None:
        for rel in rels:
            self.sources.pop(rel, None)
            if self.articles.pop(rel, None) is not None:
                self._dirty.add(shard_of(rel))

    def manifest(self, key: str) -> Manifest | None:
        return self.manifests.get(key)

    def busy(self, key: str) -> bool:
        """True when a build was updating the output's spare copy and did not finish."""
        return False  # the memory store keeps no spare copy

    def set_busy(self, key: str, busy: bool) -> None:
        pass

    def save(self, key: str | None = None, manifest: Manifest | None = None) -> None:
        if key is not None and manifest is not None:
            self.manifests[key] = manifest
        self._dirty.clear()

    def derived(self, name: str, data: bytes, make: Callable[[], T]) -> T:
        """`make()`, a value computed from `data` alone, kept with the digest of `data`: the URL
        registry lists every URL, and parsing its TOML took a fifth of a one-article rebuild."""
        digest = digest_of(data)
        kept = self.values.get(name) or self._load(name)
        if kept is not None and kept[0] == digest:
            return kept[1]  # type: ignore[no-any-return]
        value = make()
        self.values[name] = (digest, value)
        self._keep(name, digest, value)
        return value

    def _load(self, name: str) -> tuple[str, Any] | None:
        return None

    def _keep(self, name: str, digest: str, value: Any) -> None:
        pass


def shard_of(rel: str) -> int:
    return zlib.crc32(rel.encode()) % SHARDS


class DiskStore(Store):
    """The cache folder of a site; every write is atomic, every read forgiving."""

    def __init__(self, site: Path) -> None:
        super().__init__()
        self.root = site / CACHE_DIR / f"v{FORMAT}-{code_key()}"
        self.bodies = Bodies(self.root / "bodies.sqlite")
        self.loaded = False
        head = self._read("files.pickle") or {}
        self.config = head.get("config", "")
        self.sources = head.get("sources", {})

    def _load(self, name: str) -> tuple[str, Any] | None:
        found = self._read(f"derived/{name}.pickle")
        return found if isinstance(found, tuple) and len(found) == 2 else None

    def _keep(self, name: str, digest: str, value: Any) -> None:
        try:
            self._write(f"derived/{name}.pickle", (digest, value))
        except OSError:
            pass  # no cache to write: computed again next time

    def load_articles(self) -> None:
        if self.loaded:
            return
        self.loaded = True
        for n in range(SHARDS):
            self.articles.update(self._read(f"articles/{n:02d}.pickle") or {})

    @property
    def templates(self) -> Path | None:
        return self.root / "templates"

    def manifest(self, key: str) -> Manifest | None:
        if key not in self.manifests:
            found = self._read(f"outputs/{key}.pickle")
            if isinstance(found, Manifest):
                self.manifests[key] = found
        return self.manifests.get(key)

    def plan(self, key: str) -> tuple[str, list[Page]] | None:
        if key not in self.plans:
            found = self._read(f"outputs/{key}.plan.pickle")
            if isinstance(found, tuple):
                self.plans[key] = found
        return self.plans.get(key)

    def busy(self, key: str) -> bool:
        return (self.root / "outputs" / f"{key}.busy").exists()

    def set_busy(self, key: str, busy: bool) -> None:
        path = self.root / "outputs" / f"{key}.busy"
        try:
            if busy:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.touch()
            else:
                path.unlink(missing_ok=True)
        except OSError:
            pass  # no cache to write: the spare copy's files are re-checked next time anyway

    def save_plan(self, key: str, signature: str, pages: list[Page]) -> None:
        if self.plans.get(key, ("",))[0] != signature:
            try:
                self._write(f"outputs/{key}.plan.pickle", (signature, pages))
            except OSError:
                pass
        super().save_plan(key, signature, pages)

    def save(self, key: str | None = None, manifest: Manifest | None = None) -> None:
        try:
            self._ignore_in_git()
            if self._dirty:
                shards: dict[int, dict[str, tuple[str, Article, str]]] = {n: {} for n in self._dirty}
                for rel, entry in self.articles.items():
                    shard = shards.get(shard_of(rel))
                    if shard is not None:
                        shard[rel] = entry
                for n, entries in shards.items():
                    self._write(f"articles/{n:02d}.pickle", entries)
                if self.loaded and self.bodies is not None:  # drop bodies no cached article has
                    self.bodies.keep({entry[1].body_key for entry in self.articles.values()})
                    self.bodies.close()
            self._write("files.pickle", {"config": self.config, "sources": self.sources})
            if key is not None and manifest is not None:
                self._write(f"outputs/{key}.pickle", manifest)
        except (OSError, sqlite3.Error):
            pass  # a read-only site still builds, just without a cache next time
        super().save(key, manifest)

    def _ignore_in_git(self) -> None:
        top = self.root.parent
        if not (top / ".gitignore").exists():
            top.mkdir(parents=True, exist_ok=True)
            (top / ".gitignore").write_text("# digest's build cache: safe to delete\n*\n")
        for old in top.glob("v*-*"):  # caches of other digest versions: never read again
            if old != self.root and old.is_dir() and not old.is_symlink():
                shutil.rmtree(old, ignore_errors=True)

    def _read(self, name: str) -> Any:
        try:
            with open(self.root / name, "rb") as f:
                return pickle.load(f)
        except Exception:  # missing, truncated, or from another version: no cache
            return None

    def _write(self, name: str, value: Any) -> None:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with open(temp, "wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temp, path)
