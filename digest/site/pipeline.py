"""The build pipeline: one function, one timed stage per line (`Pipeline.run`).

    config → scan → parse → index → plan → validate → diff → render → search → write → save

`digest build` runs it into a folder, `digest serve` into memory, `digest check`
into nowhere (everything is validated and rendered, nothing kept). Each stage
is a function of what the stages before it returned; the errors of the reading
stages are raised together (BuildFailed) before anything is rendered, a
template's errors together before anything is published, and a failed build
leaves the published output as it was.

Incremental bookkeeping (what to read, plan and render again) lives in
`digest/incremental/fingerprints.py`; the cache in `digest/incremental/cache.py`; where bytes go in
`digest/incremental/output_state.py`.
"""
from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

from digest.editor.todo import published_warnings
from digest.errors import BuildFailed, ContentError, DigestError
from digest.incremental.atomic import Staging, Stamp, Twin, check_output, remove_stale_staging
from digest.incremental.cache import DiskStore, Manifest, SourceFile, Store, digest_of
from digest.incremental.fingerprints import Fingerprints, PageKeys
from digest.incremental.output_state import OutputState, Target, record, verify
from digest.render.feeds import NEWS_WINDOW
from digest.render.theme import STATIC, Theme
from digest.render.workers import Outcome, RenderJob, heavy_first, render_batch
from digest.search.index import FOLDER as INDEX_FOLDER
from digest.search.index import SearchIndex
from digest.site import registry
from digest.site.config import CONFIG_NAME, Config, load_config
from digest.site.editions import EditionFile, edition_files, editions, read_edition
from digest.site.images import check_images, media_files, picture_stats, stat_of
from digest.site.index import build_index
from digest.site.model import Article, Page, SiteIndex
from digest.site.pagetype import PageType, view_kinds
from digest.site.parallel import chunked, run, workers
from digest.site.reading import article_files, read_batch
from digest.site.records import BuildOptions, BuildResult, Plan, Progress, Timings
from digest.site.routes import PAGE_TYPES
from digest.site.routes import plan as plan_routes

PARALLEL_PARSE = 64  # files: below this, forking costs more than it saves
PARALLEL_RENDER = 256  # pages


class Into(Enum):
    """Where a build's bytes go."""

    FOLDER = "folder"  # `digest build`: staged, then swapped in whole
    MEMORY = "memory"  # `digest serve`: kept in Pipeline.files
    NOWHERE = "nowhere"  # `digest check`: rendered to prove it renders, then dropped


class Scan(NamedTuple):
    """What the build found before reading anything: the article files it knows, those to read,
    the last build's manifest and the state of its output (None: make it afresh)."""

    sources: dict[str, SourceFile]
    unread: list[str]
    manifest: Manifest | None  # None when the output must be made afresh
    state: OutputState | None
    editions: tuple[tuple[str, bytes], ...] = ()  # every edition file: (path, bytes), read whole
    registry: bytes | None = None  # content/.urls.toml (digest/site/registry.py), None without one


class Parsed(NamedTuple):
    articles: list[Article]
    errors: list[DigestError]
    sources: dict[str, SourceFile]  # every article file, as last read
    editions: tuple[EditionFile, ...] = ()
    registry: registry.Registry = registry.Registry()


class Selection(NamedTuple):
    """The articles this build publishes, indexed; and what it leaves out."""

    site: SiteIndex
    errors: list[DigestError]  # of articles that stop the build, then of the index
    held: tuple[DigestError, ...]  # problems of drafts left out: warnings, not errors
    left_out: tuple[int, int]  # drafts, future
    registry: bytes | None = None  # the URL registry as this build leaves it


class Routed(NamedTuple):
    pages: list[Page]
    errors: list[DigestError]
    signature: str  # what the page list was planned from
    reused: bool  # the last build's page list, planned from the same


class Diff(NamedTuple):
    keys: PageKeys  # one fingerprint per page, and the manifest's shortcuts
    todo: list[int]  # the pages to render
    target: Target


def published(article: Article, options: BuildOptions, now: datetime) -> bool:
    """The one rule for what a build publishes: drafts and scheduled articles only when asked."""
    return (options.drafts or not article.draft) and (options.future or article.date <= now)


class Pipeline:
    """Builds one site into one output, again and again, doing only what changed.

    The store is the on-disk cache or a memory-only one; the pipeline's state
    between builds is the store and, for a memory output, the files. `page_types`:
    the site's kinds of page (routes.PAGE_TYPES).
    """

    def __init__(self, site: Path, output: Path | None, store: Store, options: BuildOptions = BuildOptions(),
                 jobs: int | None = None, progress: Progress | None = None, into: Into | None = None,
                 page_types: tuple[PageType, ...] = PAGE_TYPES) -> None:
        self.site, self.output, self.store, self.options = site, output, store, options
        self.page_types = page_types
        self.into = into or (Into.FOLDER if output is not None else Into.MEMORY)
        if (self.into is Into.FOLDER) != (output is not None):
            raise ValueError("an output folder is given exactly when building into a folder")
        self.jobs = workers(jobs)
        self.progress = progress
        self.files: dict[str, bytes] = {}  # the site, when built in memory
        self.key = digest_of(str(output.resolve()).encode()) if output is not None else self.into.value

    # ------------------------------------------------------------ the pipeline

    def run(self, changed: Iterable[Path] = (), clean: bool = False) -> BuildResult:
        """Bring the output up to date. `changed`: files known to have changed (the watcher's);
        `clean`: trust nothing the cache says."""
        started, t = time.perf_counter(), Timings()
        now, started_ns = self.options.now or datetime.now(UTC), time.time_ns()
        config, keys = t.run("config", self.load_config)
        theme, scan = t.run("scan", self.scan, config, {p.resolve() for p in changed}, clean)
        if (last := self.unchanged(scan, keys, theme, now)) is not None:
            return self.result(last, started, t)  # nothing to do
        parsed = t.run("parse", self.parse, config, keys, scan, clean)
        selection = t.run("index", select, config, parsed, self.options, now)
        routed = t.run("plan", self.plan, config, keys, selection, now)
        plan = t.run("validate", validate, config, parsed, selection, routed)
        diff = t.run("diff", self.diff, plan, keys, theme, scan, parsed, routed.reused, now)
        try:
            outcome = t.run("render", self.render, plan, theme, diff, now)
            search = t.run("search", self.search_index, plan, keys, theme, scan, diff, outcome)
            manifest = self.publish(plan, keys, theme, scan, parsed, diff, outcome, search, t, now,
                                    started_ns)  # write, search
        except BaseException:
            diff.target.discard()
            raise
        t.run("save", self.save, manifest, routed, plan)
        return self.result(manifest, started, t, plan, rendered=len(diff.todo), written=outcome.written,
                           deleted=deleted(scan.manifest, manifest),
                           shards=search.counts if search is not None else (0, 0))

    def prepare(self) -> Plan:
        """The pipeline up to the page list, for tools that render on their own (bench/)."""
        now = self.options.now or datetime.now(UTC)
        config, keys = self.load_config()
        _, scan = self.scan(config, set(), True)
        parsed = self.parse(config, keys, scan, True)
        selection = select(config, parsed, self.options, now)
        return validate(config, parsed, selection, self.plan(config, keys, selection, now))

    # ------------------------------------------------------------ the stages

    def load_config(self) -> tuple[Config, Fingerprints]:
        """site.toml, checked against the output folder it would replace."""
        config = load_config(self.site)  # writes nothing; the output check needs its theme folder
        if self.output is not None:
            check_output(self.output, self.site, force=self.options.force, theme=config.theme_dir)
            remove_stale_staging(self.output.resolve())
        return config, Fingerprints(digest_of((self.site / CONFIG_NAME).read_bytes()), self.options)

    def scan(self, config: Config, changed: set[Path], clean: bool) -> tuple[Theme, Scan]:
        """Every article file whose stat proves we know its bytes, the files to read, and
        what the output holds from the last build."""
        theme = Theme(config, compiled=self.store.templates)
        known, found, unread = self.store.sources, {}, []
        root = config.root.resolve()
        changed_rels = {p.relative_to(root).as_posix() for p in changed if p.is_relative_to(root)}
        for rel, info in article_files(str(config.root), "content"):
            old = known.get(rel)
            if old is not None and old.unchanged(info.st_size, info.st_mtime_ns) and rel not in changed_rels:
                found[rel] = old
            else:
                unread.append(rel)
        self.store.forget(set(known) - set(found) - set(unread))
        editions = tuple(edition_files(str(config.root)))
        urls = registry.load(config.root)
        if clean:  # read and parse every file again
            return theme, Scan({}, sorted([*found, *unread]), None, None, editions, urls)
        manifest = self.store.manifest(self.key)
        state = verify(self.root, manifest)
        return theme, Scan(found, unread, manifest if state is not None else None, state, editions, urls)

    def unchanged(self, scan: Scan, keys: Fingerprints, theme: Theme, now: datetime) -> Manifest | None:
        """The last build's manifest when there is nothing to do: no file to read, the output
        as we left it, the same inputs, no scheduled article come due, no picture replaced, and
        no build killed since (its half-updated spare copy is put right by the next real build)."""
        manifest = scan.manifest
        if not scan.unread and manifest is not None and scan.state is not None and scan.state.clean \
                and manifest.inputs == keys.inputs(theme, scan.sources, scan.editions, scan.registry) \
                and (manifest.horizon is None or now < manifest.horizon) \
                and manifest.pictures_unchanged(stat_of) and not self.store.busy(self.key):
            return manifest
        return None

    def parse(self, config: Config, keys: Fingerprints, scan: Scan, reparse: bool) -> Parsed:
        """Parsed articles: from the cache by digest; unread files are read (and parsed unless
        their digest is cached, or `reparse`) in parallel when many."""
        self.store.use_config(keys.config)
        self.store.load_articles()
        cached = self.store.articles
        sources = dict(scan.sources)
        articles: list[Article] = []
        errors: list[DigestError] = []
        todo = list(scan.unread)
        for rel, source in sources.items():
            entry = cached.get(rel)
            if entry is not None and entry[0] == source.digest:
                articles.append(entry[1])
            else:
                todo.append(rel)
        jobs = self.jobs if len(todo) >= PARALLEL_PARSE else 1
        size = max(8, min(200, len(todo) // (jobs * 8) + 1))
        known = {} if reparse else {rel: entry[0] for rel, entry in cached.items()}
        bodies = self.store.bodies
        for batch in run(read_batch, (config, known, bodies), chunked(sorted(todo), size), jobs):
            for rel, read, result, meta in batch:
                if read is None:
                    self.store.forget([rel])
                    errors.extend(result if isinstance(result, list) else [])
                    continue
                sources[rel] = read
                if result is None:
                    articles.append(cached[rel][1])
                elif isinstance(result, Article):
                    self.store.put(rel, read.digest, result, meta)
                    articles.append(result)
                else:
                    self.store.forget([rel])
                    errors.extend(result)
        if bodies is not None:
            bodies.close()  # render workers fork from this process and open their own
        self.store.sources.update(sources)
        articles.sort(key=lambda a: a.path)
        files = []
        for rel, data in scan.editions:
            try:
                files.append(read_edition(data, rel, config))
            except ContentError as exc:
                errors.append(exc)
        kept = scan.registry
        urls, registry_errors = self.store.derived("registry", kept or b"", lambda: registry.read(kept))
        return Parsed(articles, errors + registry_errors, sources, tuple(files), urls)

    def plan(self, config: Config, keys: Fingerprints, selection: Selection, now: datetime) -> Routed:
        """routes.plan, or the last build's pages when nothing they are planned from changed:
        an edit to an article's body (the common case) then skips planning (related
        articles alone take a second per 10,000 articles)."""
        signature = keys.plan(selection.site, self.store.articles, now, [t.name for t in self.page_types])
        last = self.store.plan(self.key)
        if last is not None and last[0] == signature:
            return Routed(last[1], [], signature, True)
        pages, errors = plan_routes(selection.site, config, now, self.page_types)
        return Routed(pages, errors, signature, False)

    def diff(self, plan: Plan, keys: Fingerprints, theme: Theme, scan: Scan, parsed: Parsed, reused: bool,
             now: datetime) -> Diff:
        """Each page's fingerprint, the pages whose fingerprint or file changed, and where to write."""
        manifest = scan.manifest
        page_keys = keys.pages(plan, theme, parsed.sources, now, manifest if reused else None)
        fps = page_keys.pages
        todo = [i for i, page in enumerate(plan.pages) if stale(page, fps[i], manifest, scan.state)]
        return Diff(page_keys, todo, self.target(manifest, scan.state))

    def render(self, plan: Plan, theme: Theme, diff: Diff, now: datetime) -> Outcome:
        """Render the pages to do, in workers when many; bytes the target already has are not written."""
        _ = theme.env  # compile the environment once, before the workers fork
        for name in {plan.pages[i].template for i in diff.todo}:
            try:
                theme.env.get_template(name)
            except Exception:
                pass  # rendering reports it with its line
        job = RenderJob(plan, theme, now, diff.target, view_kinds(self.page_types), self.store.bodies)
        jobs = self.jobs if len(diff.todo) >= PARALLEL_RENDER else 1
        size = max(16, min(256, len(diff.todo) // (jobs * 16) + 1))
        outcome = Outcome()
        done = 0
        for part in run(render_batch, job, chunked(heavy_first(diff.todo, plan.pages), size), jobs):
            outcome.add(part)
            done += len(part.done) + len(part.errors)
            if self.progress:
                self.progress(done, len(diff.todo))
        if outcome.errors:
            unique = {(e.path, e.line): e for e in outcome.errors}
            raise BuildFailed(unique.values())
        return outcome

    def search_index(self, plan: Plan, keys: Fingerprints, theme: Theme, scan: Scan, diff: Diff,
                     outcome: Outcome) -> SearchIndex | None:
        """The shards of this build's search index, and which of them the last one made already."""
        if self.into is not Into.FOLDER or not plan.config.search:
            return None
        old = scan.manifest or Manifest()
        rendered = {plan.pages[i].output_path: digest for i, digest, _ in outcome.done}
        view = keys.search_view(theme, diff.keys.articles)
        return SearchIndex.plan(plan, view, lambda rel: rendered.get(rel) or old.hashes.get(rel, ""), old,
                                diff.target)

    def publish(self, plan: Plan, keys: Fingerprints, theme: Theme, scan: Scan, parsed: Parsed, diff: Diff,
                outcome: Outcome, search: SearchIndex | None, t: Timings, now: datetime,
                started_ns: int) -> Manifest:
        """Complete the target (static files, files it lacks, deletions), index what changed, swap
        it in; the manifest of what is now published (`started_ns`: when the build began, by the
        wall clock). Timed as two stages: write, and the search bundles made in between."""
        old, target = scan.manifest or Manifest(), diff.target
        articles = plan.index.articles
        # The registry as this build leaves it (a folder build writes it after the swap).
        urls = plan.registry if self.into is Into.FOLDER else scan.registry
        new = Manifest(inputs=keys.inputs(theme, parsed.sources, scan.editions, urls),
                       horizon=horizon(articles, parsed.articles, now),
                       pictures=picture_stats(articles, plan.config), started_ns=started_ns,
                       counts=(len(articles), len(plan.pages), *plan.left_out),
                       warnings=(*plan.warnings, *(w for a in articles for w in published_warnings(a))),
                       site=diff.keys.site, articles=diff.keys.articles)
        stamps, touched = t.run("write", self.complete, plan, theme, diff, outcome, old, new, search)
        if search is not None:  # before the swap: pages and their index go live together
            made, changed = t.run("search", search.make, new, old, target, self.jobs)
            stamps.update(made)
            touched |= changed
        with t.stage("write"):
            self.swap(new, old, stamps, touched, outcome, scan, target)
        return new

    def swap(self, new: Manifest, old: Manifest, stamps: dict[str, Stamp], touched: set[str], outcome: Outcome,
             scan: Scan, target: Target) -> None:
        """Put the new site in place of the old one, and note the stamps of what it holds."""
        for rel in new.pages:
            stamp = stamps.get(rel) or target.have.stamps.get(rel)
            if stamp is not None:
                new.stamps[rel] = stamp
        if self.into is not Into.FOLDER:
            if self.into is Into.MEMORY:
                files = dict(self.files) if scan.manifest is not None else {}
                files.update(outcome.data)
                self.files = {rel: files[rel] for rel in new.pages if rel in files}
            return
        assert self.output is not None
        target.commit()
        if target.twin is not None:
            # The old output becomes the spare; files edited in it by hand are not what we wrote.
            new.spare = replace(old, spare=None, site="", articles={}, checked=not target.stirred,
                                hashes={rel: digest for rel, digest in old.hashes.items()
                                        if rel not in target.dirty})
        record(self.output.resolve(), new, target.settled, touched)

    def save(self, manifest: Manifest, routed: Routed, plan: Plan) -> None:
        """Keep what the next build starts from; a folder build (only) adds the URLs it
        published to the registry, once its output is in place."""
        self.store.save(self.key, manifest)
        self.store.set_busy(self.key, False)
        self.store.save_plan(self.key, routed.signature, plan.pages)
        if self.into is Into.FOLDER and plan.registry is not None:
            registry.write(plan.config.root, plan.registry)

    # ------------------------------------------------------------ helpers of the stages

    @property
    def root(self) -> Path | None:
        return self.output.resolve() if self.output is not None else None

    def result(self, manifest: Manifest, started: float, t: Timings, plan: Plan | None = None,
               rendered: int = 0, written: int = 0, deleted: int = 0,
               shards: tuple[int, int] | None = None) -> BuildResult:
        counts = manifest.counts
        return BuildResult(articles=counts[0], pages=counts[1], files=counts[1], drafts_left_out=counts[2],
                           future_left_out=counts[3], seconds=time.perf_counter() - started,
                           stages=dict(t.stages), rendered=rendered, written=written, deleted=deleted,
                           warnings=manifest.warnings, plan=plan,
                           shards=shards if shards is not None else (len(manifest.shards), 0))

    def target(self, manifest: Manifest | None, state: OutputState | None) -> Target:
        """Where this build writes: memory, a fresh staging folder, or the output's spare copy."""
        if self.output is None:
            return Target(None, None, manifest or Manifest(), set(), set(), keep=self.into is Into.MEMORY)
        if manifest is None or state is None:
            return Target(Staging(self.output), None, Manifest(), set(), set())
        twin = Twin(self.output)
        spare = manifest.spare
        # The spare is ours alone: its files are checked only after a build that was
        # updating it died (the cache keeps a busy mark meanwhile); its folders too, and
        # whenever they were not found as recorded when the spare was last the output.
        busy = self.store.busy(self.key)
        spare_state = verify(twin.path, spare, files=busy, folders=busy or not spare.checked) \
            if spare is not None else None
        if spare is None or spare_state is None:
            spare = Manifest(pages=manifest.pages, hashes=manifest.hashes,
                             stamps=twin.farm(list(manifest.stamps)), dirs={}, shards=manifest.shards)
            spare_state = OutputState(set(state.dirty), set())
        self.store.set_busy(self.key, True)  # until the manifest saying what the spare holds is saved
        # A file edited in place in the output is edited in the spare too (a shared hard link).
        settled = {rel: stamp for rel, stamp in spare.dirs.items() if rel not in spare_state.stirred}
        return Target(None, twin, spare, spare_state.dirty | state.dirty, spare_state.foreign, settled,
                      stirred=bool(state.stirred))

    def complete(self, plan: Plan, theme: Theme, diff: Diff, outcome: Outcome, old: Manifest, new: Manifest,
                 search: SearchIndex | None) -> tuple[dict[str, Stamp], set[str]]:
        """Everything but the search bundles to make, into `new`: the stamps of files written
        or linked, and the folders whose entries changed."""
        target = diff.target
        for i, page in enumerate(plan.pages):
            new.pages[page.output_path] = diff.keys.pages[i]
        rendered = {plan.pages[i].output_path: digest for i, digest, _ in outcome.done}
        stamps = {plan.pages[i].output_path: stamp for i, _, stamp in outcome.done if stamp is not None}
        copies = {f"{STATIC}/{rel}": ("static:" + theme.fingerprints[rel], path)
                  for rel, path in theme.static_files.items()}
        copies.update(media_files(plan.index.articles, plan.config))  # articles' pictures
        for rel, (fingerprint, path) in copies.items():
            new.pages[rel] = fingerprint
            if old.pages.get(rel) != new.pages[rel] or rel in target.dirty or rel not in target.have.hashes:
                data = path.read_bytes()
                rendered[rel] = digest_of(data)
                if target.differs(rel, rendered[rel]):
                    written = target.write(rel, data)
                    if written is not None:
                        stamps[rel] = written
                    outcome.written += 1
                    if target.keep:
                        outcome.data[rel] = data
        for rel in new.pages:
            new.hashes[rel] = rendered[rel] if rel in rendered else old.hashes.get(rel, "")
        if search is not None:  # the bundles kept: linked into the spare below like any file
            stamps.update(search.keep(new, target))
        touched: set[str] = set()  # folders whose entries this build changed (outputs.record)
        if target.twin is not None:
            for rel, digest in new.hashes.items():
                if rel not in stamps and target.differs(rel, digest):
                    stamps[rel] = target.twin.link(rel)
            touched = {rel.rpartition("/")[0] for rel in stamps}
            touched |= target.twin.delete([rel for rel in target.have.pages if rel not in new.pages]
                                          + sorted(target.foreign))
        return stamps, touched


# ---------------------------------------------------------------- stages that need no state


def select(config: Config, parsed: Parsed, options: BuildOptions, now: datetime) -> Selection:
    """The articles this build publishes, indexed; what it leaves out, counted."""
    articles = parsed.articles
    chosen = [a for a in articles if published(a, options, now)]
    held = unpublished_drafts(parsed.errors, options)
    errors = [e for e in parsed.errors if not (held and e.in_draft)]
    index, index_errors = build_index([a for a in chosen if a.removed is None], config.taxonomies,
                                      [a for a in chosen if a.removed is not None])
    waiting = {a.day for a in articles if not published(a, options, now)}
    made, edition_errors = editions(index, parsed.editions, config, waiting)
    moved, gone, url_errors = registry.moves(parsed.registry, chosen, parsed.sources)
    index = replace(index, editions=made, moved=MappingProxyType(moved), gone=gone)
    index_errors += edition_errors + url_errors
    public = [a for a in chosen if not a.draft and a.date <= now]  # what a plain `digest build` publishes
    urls = registry.text(parsed.registry, registry.updated(parsed.registry, public))
    drafts = sum(1 for a in articles if a.draft and not options.drafts) + len({e.path for e in held})
    # A future draft left out as a draft is not counted twice; with --drafts it is left out as scheduled.
    future = sum(1 for a in articles if a.date > now and not options.future
                 and not (a.draft and not options.drafts))
    return Selection(index, errors + index_errors, held, (drafts, future), urls)


def validate(config: Config, parsed: Parsed, selection: Selection, routed: Routed) -> Plan:
    """The plan, or BuildFailed with every problem the reading stages found."""
    errors = selection.errors + routed.errors + check_images(selection.site.articles, config)
    if errors:
        raise BuildFailed(errors)
    return Plan(config, selection.site, routed.pages, selection.left_out, selection.held, selection.registry)


def unpublished_drafts(errors: list[DigestError], options: BuildOptions) -> tuple[DigestError, ...]:
    """Errors of drafts a build that leaves drafts out does not stop for, as warnings: a
    draft still being written does not stop the build; the editor still hears what it lacks."""
    if options.drafts:
        return ()
    return tuple(replace(e, severity="warning", hint=f"{e.hint}; the draft is left out until then"
                         if e.hint else "the draft is left out until this is fixed")
                 for e in errors if e.in_draft)


def stale(page: Page, fp: str, manifest: Manifest | None, state: OutputState | None) -> bool:
    rel = page.output_path
    return manifest is None or state is None or manifest.pages.get(rel) != fp or rel in state.dirty


def deleted(old: Manifest | None, new: Manifest) -> int:
    """Pages the last build published and this one does not (the index's files count as shards)."""
    return len([rel for rel in (old.pages if old else ())
                if rel not in new.pages and not rel.startswith(f"{INDEX_FOLDER}/")])


def horizon(published: Sequence[Article], every: Sequence[Article], now: datetime) -> datetime | None:
    """When the site next changes by itself: an article comes due (one left out as scheduled
    too: a build that only stats unchanged files must still publish it), or a recent one leaves
    the news sitemap."""
    times = [a.date for a in every if a.date > now]
    times += [a.date + NEWS_WINDOW for a in published if a.date <= now < a.date + NEWS_WINDOW]
    return min(times, default=None)


# ---------------------------------------------------------------- the commands' entries


def build(site: Path, output: Path, options: BuildOptions = BuildOptions(),
          progress: Progress | None = None, *, jobs: int | None = None, clean: bool = False,
          cache: bool = True) -> BuildResult:
    """`digest build`: the site at `site` into `output`, atomically, reusing site/.digest-cache."""
    store = DiskStore(site) if cache else Store()
    return Pipeline(site, output, store, options, jobs=jobs, progress=progress).run(clean=clean)


def check(site: Path, options: BuildOptions = BuildOptions()) -> Plan:
    """`digest check`'s build: everything a build does, written nowhere."""
    result = Pipeline(site, None, Store(), options, into=Into.NOWHERE).run()
    assert result.plan is not None  # a memory store never has a build to reuse
    return result.plan


def memory(site: Path, options: BuildOptions, jobs: int | None = None) -> Pipeline:
    """`digest serve`'s builder: the site kept in memory, with a memory-only cache, so a save
    re-parses one file and re-renders only the pages it shows up on."""
    return Pipeline(site, None, Store(), options, jobs=jobs)


def prepare(site: Path, options: BuildOptions = BuildOptions()) -> Plan:
    """The pipeline up to the page list, for tools that render on their own (bench/)."""
    return Pipeline(site, None, Store(), options, into=Into.NOWHERE).prepare()
