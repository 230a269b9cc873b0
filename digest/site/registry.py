"""The URL registry, `content/.urls.toml`: every article URL the site has published.

Keyed by URL, the one thing readers and other sites hold; each entry notes the file
that published it and, when it has one, the source article's URL:

    gone = ["/2016/11/01/withdrawn-story/"]        # the editor's: these answer 410

    [urls]
    "/2016/11/09/old-slug/" = { file = "content/2016/11/story.md", source = "https://…" }

Each `digest build` adds the URLs it published and notes their files (never removes a URL),
and writes the file only when its bytes change, atomically, after the output is in place; a
failed build, `digest check` and `digest serve` read it and never write it. A URL the site
no longer publishes redirects (301) to where its file's article is now, or else the article
with the same source URL (a renamed file); a deleted file's URL is an error unless it is
listed under `gone`.
"""
from __future__ import annotations

import json
import os
import tempfile
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from digest.errors import ContentError, DigestError
from digest.site.model import Article

PATH = "content/.urls.toml"
HEADER = ("# Every article URL this site has published, written by `digest build`: review it in git.\n"
          "# Never delete an entry. A URL whose article was deleted answers 410 when listed in `gone`.\n")


@dataclass(frozen=True)
class Entry:
    file: str
    source: str | None = None


@dataclass(frozen=True)
class Registry:
    urls: Mapping[str, Entry] = field(default_factory=lambda: MappingProxyType({}))
    gone: tuple[str, ...] = ()
    lines: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))  # URL → its line

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled for the build cache (a read-only mapping cannot be): as plain dicts."""
        return _registry, (dict(self.urls), self.gone, dict(self.lines))


def _registry(urls: dict[str, Entry], gone: tuple[str, ...], lines: dict[str, int]) -> Registry:
    return Registry(MappingProxyType(urls), gone, MappingProxyType(lines))


Moves = tuple[dict[str, str], tuple[str, ...], list[DigestError]]  # old URL → new, URLs gone, errors


def read(data: bytes | None) -> tuple[Registry, list[DigestError]]:
    """The registry from its bytes (None: no file yet)."""
    if not data:
        return Registry(), []
    try:
        text = data.decode("utf-8")
        raw = tomllib.loads(text)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return Registry(), [ContentError(PATH, f"not a valid registry: {exc}", line=None, field="urls",
                                         hint=f"restore it from git (git checkout -- {PATH})")]
    lines = {line.partition("=")[0].strip().strip('"'): n for n, line in enumerate(text.splitlines(), 1)
             if line.startswith('"')}
    urls: dict[str, Entry] = {}
    errors: list[DigestError] = []
    for url, entry in (raw.get("urls") or {}).items():
        if isinstance(entry, dict) and isinstance(entry.get("file"), str):
            source = entry.get("source")
            urls[url] = Entry(entry["file"], source if isinstance(source, str) else None)
        else:
            errors.append(ContentError(PATH, f"entry {url} has no file", line=lines.get(url), field="urls",
                                       hint='write it as "/url/" = { file = "content/…md" }'))
    gone = raw.get("gone") or []
    if not isinstance(gone, list) or not all(isinstance(u, str) for u in gone):
        errors.append(ContentError(PATH, "gone must be a list of URLs", line=None, field="gone",
                                   hint='gone = ["/2016/11/01/withdrawn/"]'))
        gone = []
    return Registry(MappingProxyType(urls), tuple(gone), MappingProxyType(lines)), errors


def moves(registry: Registry, live: Iterable[Article], files: Iterable[str]) -> Moves:
    """Where each registered URL no longer published goes: a redirect, gone, or an error for
    an article deleted without `removed`. `live`: the articles this build publishes (and
    notices); `files`: every article file there is."""
    live = list(live)
    taken = {a.url for a in live} | {alias for a in live for alias in a.aliases}
    by_file = {a.path: a.url for a in live}
    by_source = {a.source.url: a.url for a in live if a.source is not None and a.source.url}
    existing = set(files)
    moved: dict[str, str] = {}
    gone: list[str] = []
    errors: list[DigestError] = []
    for url, entry in sorted(registry.urls.items()):
        if url in taken:
            continue
        new = by_file.get(entry.file) or (by_source.get(entry.source) if entry.source else None)
        if new is not None:
            moved[url] = new
        elif entry.file in existing:
            continue  # its file is still there, unpublished for now (a draft, scheduled, in error)
        elif url in registry.gone:
            gone.append(url)
        else:
            errors.append(ContentError(
                PATH, f"{entry.file} was deleted, but its article was published at {url}",
                line=registry.lines.get(url), field="urls",
                hint=f"restore the file and take it down with removed:, or add \"{url}\" to gone = [...] "
                     "in this file to answer 410 there"))
    urls = {a.url for a in live}
    for a in live:
        for alias in a.aliases:
            if alias not in urls:
                moved.setdefault(alias, a.url)
    return moved, tuple(gone), errors


def updated(registry: Registry, published: Iterable[Article]) -> dict[str, Entry]:
    """The registry's URLs after a build that published `published`: every URL it had, each
    URL published now noted with its file."""
    urls = dict(registry.urls)
    for a in published:
        urls[a.url] = Entry(a.path, a.source.url if a.source is not None else None)
    return urls


def text(registry: Registry, urls: Mapping[str, Entry]) -> bytes:
    """The file's bytes: its header, `gone`, then every URL sorted, one a line."""
    out = [HEADER, f"gone = [{', '.join(_q(u) for u in registry.gone)}]\n", "\n[urls]\n"]
    for url, entry in sorted(urls.items()):
        source = f", source = {_q(entry.source)}" if entry.source else ""
        out.append(f"{_q(url)} = {{ file = {_q(entry.file)}{source} }}\n")
    return "".join(out).encode()


def _q(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a TOML basic string, too


def write(root: Path, data: bytes) -> bool:
    """Replace the registry atomically with `data` unless it holds that already; whether it wrote."""
    path = root / PATH
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".urls.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
    return True


def load(root: Path) -> bytes | None:
    try:
        return (root / PATH).read_bytes()
    except FileNotFoundError:
        return None
