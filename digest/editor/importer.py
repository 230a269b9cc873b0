"""`digest import`: clipped articles → digest articles, never overwriting, never twice.

    read      bytes → text (digest/editor/clip/read.py): UTF-8, UTF-16, Windows-1252; an empty
              or binary file (an image, a PDF) reads as an empty clipping
    parse     clip.findings.parse → what the clipping says, line by line
    resolve   resolve.resolve → a Draft, and what is missing or doubtful
    place     content/YYYY/MM/<slug>.md; the same story already there → skipped
    write     exclusive create, after checking the file loads as an article
              (digest/editor/clip/fit.py: a field the validator refuses is left out, with a todo)

Anything an article must not be published without (title, date, source and
its URL, text) that the clipping lacks becomes an `extra.import_todo` item
and makes the article a draft; `digest check` reports each item. Only a file
that cannot be read at all (or a folder) fails; anything else, even empty
or binary, becomes a draft that says what is missing. Every problem reads
`path:line: severity: field: message (fix)`.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from digest.editor.catalog import Catalog, Entry, scan
from digest.editor.clip.findings import parse
from digest.editor.clip.fit import fitted, loadable
from digest.editor.clip.read import read_clipping
from digest.editor.clip.resolve import Resolved, accepted_labels, resolve
from digest.editor.new import write_new
from digest.errors import DigestError, display_path
from digest.site.articles import parse_when
from digest.site.config import Config
from digest.site.slugs import slugify

PLAIN_SUFFIXES = (".txt", ".text")


@dataclass(frozen=True)
class Outcome:
    """What became of one clipping."""

    clipping: str
    status: str  # 'imported', 'skipped' (the same story is already there) or 'failed'
    target: str | None = None  # the article, as a path relative to the site
    text: str | None = None  # the article file as written (or as it would be)
    problems: tuple[DigestError, ...] = ()  # located in the clipping
    found: tuple[str, ...] = ()
    removed: int = 0  # lines of page furniture left out
    suggestions: tuple[str, ...] = ()  # site.toml entries for unknown disclaimers
    draft: bool = False

    def seen_from(self, site: Path) -> Outcome:
        """The article's path (and problems located in it) as the editor can open them from the
        current folder; problems located in the clipping already are."""
        if self.target is None:
            return self
        shown = os.path.relpath(site / self.target)
        problems = tuple(p.seen_from(site) if p.path == self.target else p for p in self.problems)
        return replace(self, target=shown, problems=problems)


@dataclass(frozen=True)
class Catalogs:
    judging: Catalog  # the site before the batch: outlets and spellings are judged by it
    seen: Catalog  # and this batch's articles too: duplicates are found in it


def import_clippings(paths: list[Path], config: Config, into: Path, now: datetime, *,
                     dry_run: bool = False, shown: dict[Path, str] | None = None) -> list[Outcome]:
    """Import each clipping in turn. Every one is judged against the site as it was before the
    batch, so order does not matter; a later one is checked for duplicates against the earlier ones."""
    judging = scan(config)
    if into.resolve() != config.content_dir.resolve() and not into.resolve().is_relative_to(
            config.content_dir.resolve()):
        judging = Catalog(judging.entries + scan(config, into).entries)
    seen = judging
    outcomes = []
    for path in paths:
        name = (shown or {}).get(path, str(path))
        outcome, entry = import_one(path, name, config, Catalogs(judging, seen), into, now, dry_run)
        if entry is not None:
            seen = Catalog(seen.entries + (entry,))
        outcomes.append(outcome)
    return outcomes


def import_one(path: Path, name: str, config: Config, catalogs: Catalogs, into: Path, now: datetime,
               dry_run: bool) -> tuple[Outcome, Entry | None]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return Outcome(name, "failed", problems=(unreadable(name, exc),)), None
    read = read_clipping(raw, name)
    markdown = path.suffix.lower() not in PLAIN_SUFFIXES
    clipping = parse(read.text, markdown, accepted_labels(config))
    resolved = fitted(resolve(clipping, name, config, catalogs.judging, now, path.stem, read.no_text), config, name)
    base = Outcome(name, "imported", problems=(*read.notes, *resolved.problems), found=resolved.found,
                   removed=len(clipping.removed), suggestions=resolved.suggestions, draft=resolved.draft.draft)
    same = duplicate_of(resolved, catalogs.seen, config)
    if same is not None:
        entry, why, field = same
        return replace(base, status="skipped", target=entry.path, problems=(DigestError(
            name, f"already imported as {entry.path} ({why}); nothing written", line=1, field=field,
            severity="note", hint="delete that article first to import the clipping again"),)), None
    target = article_path(resolved, config, into)
    shown_target = display_path(target, config.root)
    article, repaired, refused = loadable(resolved.draft, shown_target, config, name)
    base = replace(base, problems=(*base.problems, *repaired), draft=base.draft or bool(repaired))
    if refused:
        return replace(base, status="failed", target=shown_target, text=article,
                       problems=(*base.problems, *refused)), None
    if target.exists():
        return replace(base, status="failed", target=shown_target, problems=(*base.problems, DigestError(
            shown_target, "already exists, holding another article with the same slug; nothing written", line=1,
            field="slug", hint="rename one of the two, or import into another folder with --into"))), None
    if not dry_run:
        write_new(target, article, config.root)
    return replace(base, target=shown_target, text=article), _entry(resolved, shown_target, config)


def unreadable(name: str, exc: OSError) -> DigestError:
    """The one way an import fails before reading: the file cannot be read at all."""
    if isinstance(exc, IsADirectoryError):
        return DigestError(name, "is a folder, not a clipping", line=1, field="file",
                           hint="give the clipping files inside it, e.g. folder/*.md")
    return DigestError(name, f"cannot read: {exc.strerror or exc}", line=1, field="file",
                       hint="check that the file exists and that you may read it")


def duplicate_of(resolved: Resolved, catalog: Catalog, config: Config) -> tuple[Entry, str, str] | None:
    """An article already in content/ (or imported earlier in this run) of the same story:
    (that article, why, the field that matched)."""
    draft = resolved.draft
    if draft.source_url and (entry := catalog.by_source_url(draft.source_url)):
        return entry, "same source URL", "source.url"
    day = local_day(draft.date, config)
    dated = not any(item.startswith("date:") for item in draft.todo)  # today's placeholder is no match
    if day and dated and (entry := catalog.by_title_day(draft.title, day)):
        return entry, "same title and date", "title"
    if draft.via_url and (entry := catalog.by_title_via(draft.title, draft.via_url)):
        return entry, "same title, clipped from the same page", "title"
    return None


def local_day(when: str, config: Config) -> str | None:
    parsed = parse_when(when, config)
    return parsed.date().isoformat() if parsed else None


def article_path(resolved: Resolved, config: Config, into: Path) -> Path:
    day = local_day(resolved.draft.date, config) or resolved.draft.date[:10]
    return into / day[:4] / day[5:7] / f"{slugify(resolved.draft.title)}.md"


def _entry(resolved: Resolved, shown: str, config: Config) -> Entry:
    d = resolved.draft
    return Entry(path=shown, title=d.title, day=local_day(d.date, config), source_name=d.source_name,
                 source_url=d.source_url, via_url=d.via_url, terms=dict(d.terms))


# ---------------------------------------------------------------- the report


def describe(outcome: Outcome, dry_run: bool) -> list[str]:
    """The lines `digest import` prints for one clipping."""
    if outcome.status == "skipped":
        return [f"{outcome.clipping}: skipped", *(f"  {p}" for p in outcome.problems)]
    verb = {"imported": "would write" if dry_run else "wrote", "failed": "not written"}[outcome.status]
    state = " (a draft until its import_todo items are done)" if outcome.draft and outcome.status == "imported" else ""
    lines = [f"{outcome.clipping} → {outcome.target or '?'}: {verb}{state}"]
    if outcome.found:
        lines.append(f"  found: {', '.join(outcome.found)}")
    if outcome.removed:
        lines.append(f"  removed {outcome.removed} line(s) of page furniture (share, subscribe, "
                     "comment and contact lines, captions, notices)")
    lines += [f"  {p}" for p in outcome.problems]
    for entry in outcome.suggestions:
        lines += ["  suggested for site.toml:", *(f"    {ln}" for ln in entry.splitlines())]
    return lines


def summary(outcomes: list[Outcome], dry_run: bool) -> str:
    done = [o for o in outcomes if o.status == "imported"]
    drafts = sum(1 for o in done if o.draft)
    skipped = sum(1 for o in outcomes if o.status == "skipped")
    failed = sum(1 for o in outcomes if o.status == "failed")
    parts = [f"{'Would import' if dry_run else 'Imported'} {len(done)} of {len(outcomes)} clipping(s)"]
    if drafts:
        parts.append(f"{drafts} kept as draft(s) with import_todo items")
    if skipped:
        parts.append(f"{skipped} already imported")
    if failed:
        parts.append(f"{failed} failed")
    return "; ".join(parts) + "."
