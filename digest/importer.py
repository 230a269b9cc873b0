"""`digest import`: clipped articles → digest articles, never overwriting, never twice.

    read      bytes → text: UTF-8 with or without BOM (else Windows-1252), LF
    parse     clipping.parse → what the clipping says, line by line
    resolve   resolve.resolve → a Draft, and what is missing or doubtful
    place     content/YYYY/MM/<slug>.md; the same story already there → skipped
    write     exclusive create, after checking the file loads as an article

Anything an article must not be published without (title, date, source and
its URL, text) that the clipping lacks becomes an `extra.import_todo` item
and makes the article a draft; `digest check` reports each item.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from digest.catalog import Catalog, Entry, scan
from digest.clipping import parse
from digest.config import Config
from digest.content import ArticleErrors, load_article, parse_when
from digest.errors import DigestError, display_path
from digest.new import write_new
from digest.resolve import Resolved, accepted_labels, resolve
from digest.scaffold import article_text
from digest.slugs import slugify

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


def import_clippings(paths: list[Path], config: Config, into: Path, now: datetime, *,
                     dry_run: bool = False, shown: dict[Path, str] | None = None) -> list[Outcome]:
    """Import each clipping in turn; a later one is checked against the earlier ones too."""
    catalog = scan(config)
    if into.resolve() != config.content_dir.resolve() and not into.resolve().is_relative_to(
            config.content_dir.resolve()):
        catalog = Catalog(catalog.entries + scan(config, into).entries)
    outcomes = []
    for path in paths:
        name = (shown or {}).get(path, str(path))
        outcome, entry = import_one(path, name, config, catalog, into, now, dry_run)
        if entry is not None:
            catalog = Catalog(catalog.entries + (entry,))
        outcomes.append(outcome)
    return outcomes


def import_one(path: Path, name: str, config: Config, catalog: Catalog, into: Path, now: datetime,
               dry_run: bool) -> tuple[Outcome, Entry | None]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return Outcome(name, "failed", problems=(DigestError(name, f"cannot read: {exc.strerror}"),)), None
    text, encoding_note = decode_clipping(raw, name)
    markdown = path.suffix.lower() not in PLAIN_SUFFIXES
    clipping = parse(text, markdown, accepted_labels(config))
    resolved = resolve(clipping, name, config, catalog, now, path.stem)
    problems = (*encoding_note, *resolved.problems)
    base = Outcome(name, "imported", problems=problems, found=resolved.found, removed=len(clipping.removed),
                   suggestions=resolved.suggestions, draft=resolved.draft.draft)
    same = duplicate_of(resolved, catalog, config)
    if same is not None:
        entry, why = same
        return replace(base, status="skipped", target=entry.path, problems=(DigestError(
            name, f"already imported as {entry.path} ({why}); nothing written", severity="note"),)), None
    target = article_path(resolved, config, into)
    shown_target = display_path(target, config.root)
    article = article_text(resolved.draft, config)
    invalid = _invalid(article, shown_target, config)
    if invalid:
        return replace(base, status="failed", target=shown_target, text=article, problems=invalid), None
    if target.exists():
        return replace(base, status="failed", target=shown_target, problems=(*problems, DigestError(
            shown_target, "already exists, holding another article with the same slug; nothing written",
            hint="rename one of the two, or import into another folder with --into"))), None
    if not dry_run:
        write_new(target, article, config.root)
    return replace(base, target=shown_target, text=article), _entry(resolved, shown_target, config)


def decode_clipping(raw: bytes, name: str) -> tuple[str, tuple[DigestError, ...]]:
    """Text with LF line ends; clippings saved by old Windows tools are Windows-1252."""
    notes: tuple[DigestError, ...] = ()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        text = raw.decode("cp1252", errors="replace")
        notes = (DigestError(name, "not UTF-8; read as Windows-1252", line=raw.count(b"\n", 0, exc.start) + 1,
                             field="encoding", severity="warning",
                             hint="check accented letters and quotes in the article"),)
    return text.replace("\r\n", "\n").replace("\r", "\n"), notes


def duplicate_of(resolved: Resolved, catalog: Catalog, config: Config) -> tuple[Entry, str] | None:
    """An article already in content/ (or imported earlier in this run) of the same story."""
    draft = resolved.draft
    if draft.source_url and (entry := catalog.by_source_url(draft.source_url)):
        return entry, "same source URL"
    day = local_day(draft.date, config)
    if day and (entry := catalog.by_title_day(draft.title, day)):
        return entry, "same title and date"
    if draft.via_url and (entry := catalog.by_title_via(draft.title, draft.via_url)):
        return entry, "same title, clipped from the same page"
    return None


def local_day(when: str, config: Config) -> str | None:
    parsed = parse_when(when, config)
    return parsed.date().isoformat() if parsed else None


def article_path(resolved: Resolved, config: Config, into: Path) -> Path:
    day = local_day(resolved.draft.date, config) or resolved.draft.date[:10]
    return into / day[:4] / day[5:7] / f"{slugify(resolved.draft.title)}.md"


def _invalid(article: str, shown: str, config: Config) -> tuple[DigestError, ...]:
    """The errors the generated file would have as an article (none, unless the clipping is odd)."""
    try:
        load_article(article.encode("utf-8"), shown, config)
    except ArticleErrors as exc:
        return tuple(exc.errors)
    except DigestError as exc:
        return (exc,)
    return ()


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
                     "comment and contact lines, notices)")
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
