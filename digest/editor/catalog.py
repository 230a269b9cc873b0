"""What content/ already holds, read fast for `digest new` and `digest import`.

Only front matter is read (no validation, no Markdown), so creating one
article on a site of thousands stays instant; files that do not parse are
skipped here; `digest check` is where they get reported. An outlet name an
import left to be checked (an `import_todo` item on `source.name`) does not
count as the site's spelling, or it would vouch for itself next time.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from digest.editor.todo import todo_items
from digest.errors import DigestError
from digest.site.articles import decode, find_articles, parse_when
from digest.site.config import Config
from digest.site.frontmatter import split
from digest.site.identity import host_key, title_key, url_key, variant_key


@dataclass(frozen=True)
class Entry:
    """One existing article, as far as duplicates and spellings are concerned."""

    path: str  # relative to the site root
    title: str | None = None
    day: str | None = None  # YYYY-MM-DD in the site's zone
    source_name: str | None = None
    source_url: str | None = None
    via_url: str | None = None
    terms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Catalog:
    entries: tuple[Entry, ...]

    def by_source_url(self, url: str) -> Entry | None:
        key = url_key(url)
        return next((e for e in self.entries if e.source_url and url_key(e.source_url) == key), None)

    def by_title_day(self, title: str, day: str) -> Entry | None:
        key = title_key(title)
        return next((e for e in self.entries if e.title and e.day == day
                     and title_key(e.title) == key), None)

    def by_title_via(self, title: str, via_url: str) -> Entry | None:
        key, via = title_key(title), url_key(via_url)
        return next((e for e in self.entries if e.title and e.via_url and title_key(e.title) == key
                     and url_key(e.via_url) == via), None)

    def spellings(self, taxonomy: str) -> dict[str, str]:
        """variant key → the most used spelling of a term in this taxonomy."""
        return most_used(name for e in self.entries for name in e.terms.get(taxonomy, ()))

    def source_names(self) -> dict[str, str]:
        return most_used(e.source_name for e in self.entries if e.source_name)

    def source_name_for_host(self, url: str) -> str | None:
        """The outlet most often credited for links to this URL's host."""
        host = host_key(url)
        names = Counter(e.source_name for e in self.entries
                        if e.source_name and e.source_url and host_key(e.source_url) == host)
        return names.most_common(1)[0][0] if names else None


def most_used(names: Iterable[str]) -> dict[str, str]:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for name in names:
        counts[variant_key(name)][name] += 1
    return {key: min(c.items(), key=lambda item: (-item[1], item[0]))[0] for key, c in counts.items()}


def scan(config: Config, content_dir: Path | None = None) -> Catalog:
    """Every article under content/ that has readable front matter."""
    entries = []
    for path in find_articles(content_dir or config.content_dir):
        rel = path.relative_to(config.root).as_posix() if path.is_relative_to(config.root) else str(path)
        try:
            data = split(decode(path.read_bytes(), rel), rel).data
        except (DigestError, OSError):
            continue
        entries.append(_entry(rel, data, config))
    return Catalog(tuple(entries))


def _entry(rel: str, data: dict[str, Any], config: Config) -> Entry:
    when = data.get("date")
    parsed = parse_when(when, config) if isinstance(when, str) else None
    source, via = data.get("source"), data.get("via")
    extra = data.get("extra")
    if isinstance(extra, dict) and any(i.startswith("source.name:") for i in todo_items(extra)):
        source = {"url": source.get("url")} if isinstance(source, dict) else None  # a name still to check
    terms = {tax: tuple(v for v in _list(data.get(tax))) for tax in config.taxonomies}
    return Entry(
        path=rel, title=_text(data.get("title")), day=parsed.date().isoformat() if parsed else None,
        source_name=_text(source.get("name") if isinstance(source, dict) else source),
        source_url=_text(source.get("url")) if isinstance(source, dict) else None,
        via_url=_text(via.get("url")) if isinstance(via, dict) else None,
        terms=terms)


def _text(value: Any) -> str | None:
    return " ".join(value.split()) or None if isinstance(value, str) else None


def _list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [" ".join(v.split()) for v in value if isinstance(v, str) and v.strip()] if isinstance(value, list) else []
