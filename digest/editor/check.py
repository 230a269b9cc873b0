"""`digest check`: the build's own validation, then the editors' checks, in one pass.

    pipeline.check        the build itself, written nowhere: config, every
                          article, index, routes, templates
    unfinished imports    extra.import_todo items                      error
    same story twice      two articles with one original source URL    error
    broken links          internal links to pages the build won't make error
    links to removed      internal links to articles taken down        warning
    curation gaps         no tags, no summary, empty body,             warning
                          source or via without a URL
    term variants         `US elections` / `U.S. elections`            warning
    unused disclaimers    [disclaimers] entries nothing refers to      warning

Errors stop a publish (exit 1); warnings are shown and the exit is 0.
Nothing is written.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from digest.editor.todo import TODO_KEY, item_lines, split_item, todo_items
from digest.errors import BuildFailed, ConfigError, ContentError, DigestError
from digest.render.theme import STATIC, Theme
from digest.site import pipeline, routes
from digest.site.articles import decode
from digest.site.config import CONFIG_NAME, Config, line_of, load_config
from digest.site.frontmatter import split
from digest.site.identity import url_key, variant_key
from digest.site.index import build_index
from digest.site.links import BodyLink, Targets, body_links, site_path
from digest.site.model import Article
from digest.site.reading import article_files, read_batch
from digest.site.records import BuildOptions, Plan
from digest.site.slugs import slugify, term_key


@dataclass(frozen=True)
class Subject:
    """One article that loaded, with the raw text the checks need."""

    article: Article
    text: str
    data: dict[str, Any]
    body: str
    body_line: int

    def line(self, *fields: str) -> int:
        """The line of the first field present, else the first front-matter line."""
        return next((self.article.lines[f] for f in fields if f in self.article.lines), 2)


@dataclass(frozen=True)
class Context:
    config: Config
    config_text: str
    subjects: tuple[Subject, ...]
    published: frozenset[str]  # URLs of the articles the build publishes
    targets: Targets  # every page and static file the build makes
    failed_slugs: frozenset[str]  # of article files that did not load: links to them are not blamed
    unloaded: tuple[tuple[str, str, dict[str, Any], dict[str, int]], ...] = ()  # (path, text, data, lines)
    # of files whose front matter reads but which did not validate (e.g. a draft still to fill in)


@dataclass(frozen=True)
class Report:
    errors: tuple[DigestError, ...]
    warnings: tuple[DigestError, ...]
    articles: int  # articles the build would publish
    pages: int | None  # None when the build failed

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        """The `--format json` document; keys are stable."""
        return {"ok": self.ok, "errors": [e.as_dict() for e in self.errors],
                "warnings": [w.as_dict() for w in self.warnings], "articles": self.articles}


Rule = Callable[[Context], Iterator[DigestError]]


def run_checks(site: Path, options: BuildOptions = BuildOptions()) -> Report:
    """Every problem of the site, errors and warnings, without writing anything."""
    errors: list[DigestError] = []
    plan = None
    try:
        plan = pipeline.check(site, options)
    except BuildFailed as exc:
        errors.extend(exc.errors)
    try:
        config = plan.config if plan else load_config(site)
    except BuildFailed:
        return Report(tuple(errors), (), 0, None)
    context = _context(config, options, plan)
    found = [problem for rule in RULES for problem in rule(context)]
    errors += [p for p in found if p.severity == "error"]
    warnings = [p for p in found if p.severity != "error"] + list(plan.warnings if plan else ())
    return Report(_sorted(errors), _sorted(warnings), len(context.published),
                  len(plan.pages) if plan else None)


def _sorted(problems: list[DigestError]) -> tuple[DigestError, ...]:
    return tuple(sorted(problems, key=lambda e: (e.path, e.line or 0, e.field or "", e.message)))


def _context(config: Config, options: BuildOptions, plan: Plan | None) -> Context:
    subjects, failed = _subjects(config, {a.path: a for a in plan.index.articles} if plan else {})
    now = options.now or datetime.now(UTC)
    chosen = [s.article for s in subjects if pipeline.published(s.article, options, now)]
    if plan is not None:
        pages = plan.pages
    else:  # the pages the valid articles would make, so links are checked in the same pass
        index, _ = build_index(chosen, config.taxonomies)
        pages, _ = routes.plan(index, config, now)
    statics = {f"/{STATIC}/{rel}" for rel in Theme(config).static_files}
    text = (config.root / CONFIG_NAME).read_text(encoding="utf-8-sig")
    return Context(config, text, tuple(subjects), frozenset(a.url for a in chosen if a.removed is None),
                   Targets(frozenset({page.url for page in pages} | statics)),
                   frozenset(slugify(Path(f).stem) for f in failed), tuple(_front_matter_of(failed, config)))


def _front_matter_of(failed: list[str], config: Config) -> Iterator[tuple[str, str, dict[str, Any], dict[str, int]]]:
    """(path, text, data, lines) of each file that did not load but whose front matter reads."""
    for rel in dict.fromkeys(failed):
        try:
            text = decode((config.root / rel).read_bytes(), rel)
            parts = split(text, rel)
        except (OSError, DigestError):
            continue
        yield rel, text, parts.data, parts.lines


def _subjects(config: Config, built: dict[str, Article]) -> tuple[list[Subject], list[str]]:
    """The articles that load, and the paths of those that do not. Articles the
    build already validated are reused, not parsed and rendered again."""
    subjects: list[Subject] = []
    failed: list[str] = []
    rels = sorted(rel for rel, _ in article_files(str(config.root), "content"))
    loaded = {rel: result for rel, _, result, _ in read_batch((config, {}, None), [r for r in rels if r not in built])}
    for rel in rels:
        result = built.get(rel) or loaded[rel]
        if not isinstance(result, Article):
            failed.extend(e.path for e in (result or [])[:1])
            continue
        text = decode((config.root / rel).read_bytes(), rel)
        parts = split(text, rel)
        subjects.append(Subject(result, text, parts.data, parts.body, parts.body_line))
    return subjects, failed


def _content(subject: Subject, field: str, message: str, hint: str | None = None, *,
             line: int | None = None, severity: str = "warning") -> ContentError:
    return ContentError(subject.article.path, message, line=line or subject.line(field), field=field,
                        hint=hint, severity=severity)


# ---------------------------------------------------------------- errors


def unfinished_imports(ctx: Context) -> Iterator[DigestError]:
    found: list[tuple[str, str, Any, int]] = [(s.article.path, s.text, s.article.extra, s.line("extra"))
                                              for s in ctx.subjects]
    found += [(path, text, data.get("extra") if isinstance(data.get("extra"), dict) else {}, lines.get("extra", 2))
              for path, text, data, lines in ctx.unloaded]  # a draft that does not validate yet
    for path, text, extra, extra_line in found:
        items = todo_items(extra)
        for item, line in zip(items, item_lines(text, extra_line, len(items))):
            field, message = split_item(item)
            yield ContentError(path, f"unfinished import: {message}", line=line,
                               field=field or f"extra.{TODO_KEY}", severity="error",
                               hint=f"fix it, then delete this line from extra.{TODO_KEY}")


def same_story_twice(ctx: Context) -> Iterator[DigestError]:
    by_url: dict[str, list[Subject]] = defaultdict(list)
    for s in ctx.subjects:
        if s.article.source and s.article.source.url:
            by_url[url_key(s.article.source.url)].append(s)
    for group in by_url.values():
        first, *others = sorted(group, key=lambda s: (s.article.date, s.article.path))
        for s in others:
            yield _content(s, "source", f"the same original ({s.article.source.url}) is already "  # type: ignore[union-attr]
                           f"curated in {first.article.path}",
                           "the same story curated twice: keep one of the two articles", severity="error")


def broken_links(ctx: Context) -> Iterator[DigestError]:
    unpublished = {s.article.url: s.article for s in ctx.subjects if s.article.url not in ctx.published}
    for s in ctx.subjects:
        for link in body_links(s.body, s.body_line, ctx.config.allow_html):
            path = site_path(link.href, s.article.url, ctx.config.base_url)
            if path is None or ctx.targets.lands(path):
                continue
            if path + "/" in ctx.targets:
                yield _content(s, "body", f"links to {link.href} without the final '/'",
                               f"write {path}/: not every host redirects", line=link.line)
            elif path in unpublished:
                if s.article.url in ctx.published:
                    yield _link_error(s, link, _unpublished_hint(unpublished[path]))
            elif path.rstrip("/").rsplit("/", 1)[-1] not in ctx.failed_slugs:
                close = ctx.targets.nearest(path)
                yield _link_error(s, link, f"did you mean {close}?" if close else
                                  "no article, list or file of the site has this URL")


def links_to_removed(ctx: Context) -> Iterator[DigestError]:
    """A link to a taken-down article leads readers to its notice: the linking text may need a word."""
    removed = {s.article.url: s.article for s in ctx.subjects if s.article.removed is not None}
    for s in ctx.subjects:
        if s.article.removed is not None or s.article.url not in ctx.published:
            continue
        for link in body_links(s.body, s.body_line, ctx.config.allow_html):
            path = site_path(link.href, s.article.url, ctx.config.base_url)
            target = removed.get(path or "") or removed.get(f"{path}/")
            if target is not None:
                yield _content(s, "body", f"links to {link.href}, an article taken down ({target.path})",
                               "remove the link, or say in the text that the article was removed",
                               line=link.line)


def _link_error(s: Subject, link: BodyLink, hint: str) -> DigestError:
    what = "image file" if link.image else "link to a page"
    return _content(s, "body", f"{what} that does not exist: {link.href}", hint,
                    line=link.line, severity="error")


def _unpublished_hint(target: Article) -> str:
    if target.draft:
        return f"it is a draft, {target.path}: publish it or remove the link"
    return f"it is scheduled for {target.date.date().isoformat()}, {target.path}"


# ---------------------------------------------------------------- warnings


def curation_gaps(ctx: Context) -> Iterator[DigestError]:
    main = "tags" if "tags" in ctx.config.taxonomies else next(iter(ctx.config.taxonomies), None)
    for s in ctx.subjects:
        a = s.article
        if a.removed is not None:  # taken down: nobody reads it any more
            continue
        pending = {split_item(item)[0] for item in todo_items(a.extra)}  # reported as errors already
        if main and not a.terms_of(main):
            label = ctx.config.taxonomies[main].lower()
            yield _content(s, main, f"no {label}", f"add e.g. {main}: [Diplomacy]; readers browse by them")
        if not _given(s.data.get("summary")):
            yield _content(s, "summary", "no summary", 'add summary: "…"; without one, lists and feeds show the first paragraph',
                           line=s.line("summary", "title"))
        if not s.body.strip():
            yield _content(s, "body", "the article has no text", "write or paste the body below the "
                           "front matter", line=s.body_line)
        if a.source and not a.source.url and not a.original and "source.url" not in pending:
            yield _content(s, "source", "no url: readers cannot reach the original",
                           "add url: https://… under source")
        if a.via and not a.via.url and "via.url" not in pending:
            yield _content(s, "via", "no url: credit the page where you found it",
                           "add url: https://… under via")


def _given(value: Any) -> bool:
    return isinstance(value, str) and value.strip() not in ("", "~", "null", "Null", "NULL")


def term_variants(ctx: Context) -> Iterator[DigestError]:
    for taxonomy in ctx.config.taxonomies:
        uses: dict[str, Counter[str]] = defaultdict(Counter)
        for s in ctx.subjects:
            for name in s.article.terms_of(taxonomy):
                uses[variant_key(name)][name] += 1
        for spellings in uses.values():
            yield from _variants(ctx, taxonomy, spellings)


def _variants(ctx: Context, taxonomy: str, spellings: Counter[str]) -> Iterator[DigestError]:
    by_term: dict[str, int] = Counter()
    for name, count in spellings.items():
        by_term[term_key(name)] += count
    if len(by_term) < 2:
        return  # one term, only case or spacing differs: the build merges them
    first = min(spellings, key=lambda n: (-by_term[term_key(n)], n))
    for s in ctx.subjects:
        for name in s.article.terms_of(taxonomy):
            if term_key(name) != term_key(first) and name in spellings \
                    and slugify(term_key(name)) != slugify(term_key(first)):
                yield _content(s, taxonomy, f"'{name}' and '{first}' look like one term spelled two ways; "
                               f"they get two pages", f"write '{first}' if they are the same")


def unused_disclaimers(ctx: Context) -> Iterator[DigestError]:
    if ctx.failed_slugs:
        return  # an article that failed to load may be the one using it
    config = ctx.config
    used = {config.default_disclaimer, *(s.disclaimer for s in config.sources.values())}
    used |= {s.article.disclaimer for s in ctx.subjects if isinstance(s.article.disclaimer, str)}
    for key in config.disclaimers:
        if key not in used:
            yield ConfigError(CONFIG_NAME, "no article, outlet or default uses this disclaimer",
                              line=line_of(ctx.config_text, key, "disclaimers"), field=f"disclaimers.{key}",
                              severity="warning", hint=f"use it with disclaimer: {key}, or delete it")


RULES: tuple[Rule, ...] = (unfinished_imports, same_story_twice, broken_links, links_to_removed, curation_gaps,
                           term_variants, unused_disclaimers)
