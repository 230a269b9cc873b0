"""Incremental builds: re-read what changed, re-render what it touches.

Every output file is recorded with a fingerprint of everything it was
made from: digest's code, site.toml, the build options, the template it
uses and every template that one loads, the static files (their hashes are
in every page's links), the page's own args and, for each article it shows,
the article file's digest, the spellings of its terms as the index merged
them and whether it is scheduled. A page is rendered again exactly when
its fingerprint changes, and written only when its bytes change. Files no
longer produced are deleted, and so is anything else found in the output.

A build with unchanged inputs (same files, same config, templates and
options, no scheduled article come due) does nothing after checking that
the output is as we left it.
"""
from __future__ import annotations

import hashlib
import pickle
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

from digest.build import BuildOptions, BuildResult, Plan, Timings, plan_site
from digest.cache import Manifest, SourceFile, Store, code_key, digest_of
from digest.config import CONFIG_NAME, Config, load_config
from digest.sources import article_files, read_batch
from digest.errors import BuildFailed, DigestError
from digest.heap import build_heap, settle
from digest.images import media_files, picture_stamp
from digest.model import Article, Page, SiteIndex
from digest.parallel import chunked, run, workers
from digest.outputs import OutputState, Target, record, verify
from digest.publish import Stamp, Staging, Twin, check_output, remove_stale_staging
from digest.feeds import NEWS_WINDOW
from digest.routes import plan
from digest.searchindex import FOLDER as INDEX_FOLDER, SearchIndex
from digest.slugs import term_slug
from digest.theme import STATIC, Theme, save_references
from digest.todo import published_warnings
from digest.rendering import Outcome, RenderJob, heavy_first, render_batch

Progress = Callable[[int, int], None]
ArticleStamps = dict[str, tuple[tuple[str, bool, bytes], bytes]]  # URL → (cheap key, fingerprint)
PARALLEL_PARSE = 64  # files: below this, forking costs more than it saves
PARALLEL_RENDER = 256  # pages


class Builder:
    """Builds one site into one output, again and again, doing only what changed.

    `output` is a folder, or None to keep the site in memory (`files`), as the
    preview does. The store is the on-disk cache or a memory-only one.
    """

    def __init__(self, site: Path, output: Path | None, store: Store, options: BuildOptions = BuildOptions(),
                 jobs: int | None = None, progress: Progress | None = None) -> None:
        self.site, self.output, self.store, self.options = site, output, store, options
        self.jobs = workers(jobs)
        self.progress = progress
        self.files: dict[str, bytes] = {}  # the site, when built in memory
        self.key = "memory" if output is None else digest_of(str(output.resolve()).encode())
        self.reused = False  # this build re-uses the last one's plan
        self.planned_from = ""  # what this build's plan depends on (signature)

    # ------------------------------------------------------------ the pipeline

    def build(self, changed: Iterable[Path] | None = None, clean: bool = False) -> BuildResult:
        """Bring the output up to date; `changed` names files known to have changed (the watcher's)."""
        with build_heap():
            return self._build(changed, clean)

    def _build(self, changed: Iterable[Path] | None, clean: bool) -> BuildResult:
        started, timings = time.perf_counter(), Timings()
        self.reused = False
        now = self.options.now or datetime.now(timezone.utc)
        with timings.stage("config"):
            config = load_config(self.site)  # writes nothing; the output check needs its theme folder
            if self.output is not None:
                check_output(self.output, self.site, force=self.options.force, theme=config.theme_dir)
                remove_stale_staging(self.output.resolve())
            config_fp = digest_of((self.site / CONFIG_NAME).read_bytes())
        with timings.stage("scan"):
            theme = Theme(config, compiled=self.store.templates)
            sources, unread = self.scan(config, {p.resolve() for p in changed or ()})
            if clean:  # trust nothing the cache says: read and parse every file again
                sources, unread = {}, sorted([*sources, *unread])
            manifest = None if clean else self.store.manifest(self.key)
            state = verify(self.root, manifest)
        if not unread and manifest is not None and state is not None and state.clean \
                and manifest.inputs == self.inputs_fingerprint(config_fp, theme, sources) \
                and (manifest.horizon is None or now < manifest.horizon):
            return self.result(manifest.counts, started, timings, 0, 0, 0, manifest.warnings,
                               (len(manifest.shards), 0))
        with timings.stage("content"):
            self.store.use_config(config_fp)
            articles, errors = self.content(config, sources, unread, reparse=clean)
            inputs = self.inputs_fingerprint(config_fp, theme, sources)
        settle()  # the cached and parsed articles live until the build ends
        routes = self.routes(config, config_fp, now)
        prepared = plan_site(config, articles, errors, self.options, now, timings, routes)
        settle()  # and so do the index and the plan
        if state is None:
            manifest = None
        with timings.stage("diff"):
            fps, new_articles = self.fingerprints(prepared, theme, sources, config_fp, now, manifest)
            todo = [i for i, page in enumerate(prepared.pages) if self.stale(page, fps[i], manifest, state)]
            target = self.target(manifest, state)
        try:
            with timings.stage("render"):
                outcome = self.render(prepared, theme, todo, target, now)
            with timings.stage("search"):
                search = self.search_index(prepared, theme, config_fp, new_articles[1], manifest, target, outcome)
            new = self.publish(prepared, theme, fps, outcome, manifest, target, timings, search)
        except BaseException:
            target.discard()
            raise
        new.inputs = inputs
        new.site, new.articles = new_articles
        new.horizon = horizon(articles, now)
        new.counts = (len(prepared.index.articles), len(prepared.pages), *prepared.left_out)
        new.warnings = (*prepared.warnings,
                        *(w for a in prepared.index.articles for w in published_warnings(a)))
        self.store.save(self.key, new)
        save_references(self.store.templates)
        self.store.set_busy(self.key, False)
        self.store.save_plan(self.key, self.planned_from, prepared.pages)
        deleted = len([rel for rel in (manifest.pages if manifest else ())  # the index's files are counted as shards
                       if rel not in new.pages and not rel.startswith(f"{INDEX_FOLDER}/")])
        return self.result(new.counts, started, timings, len(todo), outcome.written, deleted, new.warnings,
                           search.counts if search is not None else (0, 0))

    @property
    def root(self) -> Path | None:
        return self.output.resolve() if self.output is not None else None

    def result(self, counts: tuple[int, int, int, int], started: float, timings: Timings,
               rendered: int, written: int, deleted: int, warnings: tuple[DigestError, ...],
               shards: tuple[int, int]) -> BuildResult:
        return BuildResult(articles=counts[0], pages=counts[1], files=counts[1], drafts_left_out=counts[2],
                           future_left_out=counts[3], seconds=time.perf_counter() - started,
                           stages=dict(timings.stages), rendered=rendered, written=written, deleted=deleted,
                           warnings=warnings, shards=shards)

    def target(self, manifest: Manifest | None, state: OutputState | None) -> Target:
        """Where this build writes: memory, a fresh staging folder, or the output's spare copy."""
        if self.output is None:
            return Target(None, None, manifest or Manifest(), set(), set())
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

    # ------------------------------------------------------------ inputs

    def scan(self, config: Config, changed: set[Path]) -> tuple[dict[str, SourceFile], list[str]]:
        """Every article file whose stat proves we know its bytes, and the files to read."""
        known, found, unread = self.store.sources, {}, []
        root = str(config.root)
        changed_rels = {p.relative_to(config.root.resolve()).as_posix() for p in changed
                        if p.is_relative_to(config.root.resolve())}
        for rel, info in article_files(root, "content"):
            old = known.get(rel)
            if old is not None and old.unchanged(info.st_size, info.st_mtime_ns) and rel not in changed_rels:
                found[rel] = old
            else:
                unread.append(rel)
        self.store.forget(set(known) - set(found) - set(unread))
        return found, unread

    def routes(self, config: Config, config_fp: str, now: datetime) -> Callable[[SiteIndex], tuple[list[Page], list[DigestError]]]:
        """routes.plan, or the last build's pages when nothing they are planned from changed:
        an edit to an article's body (the common case) then skips planning (related
        articles alone take a second per 10,000 articles)."""
        def routes(index: SiteIndex) -> tuple[list[Page], list[DigestError]]:
            last = self.store.plan(self.key)
            self.planned_from = self.signature(index, config_fp, now)
            self.reused = last is not None and last[0] == self.planned_from
            if last is not None and self.reused:
                return last[1], []
            return plan(index, config, now)
        return routes

    def signature(self, index: SiteIndex, config_fp: str, now: datetime) -> str:
        """What the plan depends on: each article but its body (digests made when parsed), in
        index order, the config, options, code, and which articles the news sitemap lists."""
        meta = self.store.articles
        recent = [a.url for a in index.articles if now - NEWS_WINDOW <= a.date <= now]
        h = hashlib.blake2b(pickle.dumps((code_key(), config_fp, self.options.drafts, self.options.future,
                                          recent)), digest_size=16)
        for article in index.articles:
            h.update(meta[article.path][2].encode())
        return h.hexdigest()

    def inputs_fingerprint(self, config_fp: str, theme: Theme, sources: dict[str, SourceFile]) -> str:
        h = hashlib.blake2b(digest_size=16)
        h.update(pickle.dumps((code_key(), config_fp, self.options.drafts, self.options.future,
                               [str(d) for d in theme.dirs], theme.stamp, sorted(theme.fingerprints.items()),
                               sorted((rel, s.digest) for rel, s in sources.items()))))
        return h.hexdigest()

    def content(self, config: Config, sources: dict[str, SourceFile], unread: list[str],
                reparse: bool = False) -> tuple[list[Article], list[DigestError]]:
        """Parsed articles: from the cache by digest; unread files are read (and parsed unless
        their digest is cached, or `reparse`) in parallel when many. `sources` gains every file read."""
        self.store.load_articles()
        cached = self.store.articles
        articles: list[Article] = []
        errors: list[DigestError] = []
        todo = list(unread)
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
                sources[rel] = source = read
                if result is None:
                    articles.append(cached[rel][1])
                elif isinstance(result, Article):
                    self.store.put(rel, source.digest, result, meta)
                    articles.append(result)
                else:
                    self.store.forget([rel])
                    errors.extend(result)
        if bodies is not None:
            bodies.close()  # render workers fork from this process and open their own
        self.store.sources.update(sources)
        articles.sort(key=lambda a: a.path)
        return articles, errors

    # ------------------------------------------------------------ what to render

    def fingerprints(self, prepared: Plan, theme: Theme, sources: dict[str, SourceFile], config_fp: str,
                     now: datetime, manifest: Manifest | None) -> tuple[list[str], tuple[str, ArticleStamps]]:
        """One fingerprint per page: everything its bytes depend on. With the last build's plan
        reused (no article's metadata changed), a page none of whose articles changed keeps the
        fingerprint it had: nothing else it depends on can have changed. Also returns what the
        manifest keeps for that shortcut: the site's part of every fingerprint, and each
        article's own (with the cheap key telling when to compute it again)."""
        index = prepared.index
        site = pickle.dumps((code_key(), config_fp, self.options.drafts, self.options.future,
                             [str(d) for d in theme.dirs], sorted(theme.fingerprints.items())))
        closures = {name: theme.closure(name) for name in {p.template for p in prepared.pages}}
        site_key = digest_of(site + pickle.dumps(sorted(closures.items())))
        old = manifest.articles if manifest is not None and self.reused and manifest.site == site_key else None
        articles: dict[str, bytes] = {}
        stamps: ArticleStamps = {}
        changed: set[str] = set()
        for a in index.articles:
            key = (sources[a.path].digest, a.date > now, picture_stamp(a, prepared.config))
            last = old.get(a.url) if old is not None else None
            if last is not None and last[0] == key:
                fp = last[1]
            else:
                fp = _article_fingerprint(a, key[0], index, now) + key[2]
                changed.add(a.url)
            articles[a.url] = fp
            stamps[a.url] = (key, fp)
        fps = []
        for page in prepared.pages:
            kept = manifest.pages.get(page.output_path) if old is not None else None  # type: ignore[union-attr]
            if kept is not None and changed.isdisjoint(page.refs):
                fps.append(kept)
                continue
            h = hashlib.blake2b(site, digest_size=16)
            h.update(pickle.dumps((page.url, page.template, closures[page.template], page.kind, page.args)))
            for url in page.refs:
                h.update(articles[url])
            fps.append(h.hexdigest())
        return fps, (site_key, stamps)

    @staticmethod
    def stale(page: Page, fp: str, manifest: Manifest | None, state: OutputState | None) -> bool:
        rel = page.output_path
        return manifest is None or state is None or manifest.pages.get(rel) != fp or rel in state.dirty

    # ------------------------------------------------------------ rendering

    def render(self, prepared: Plan, theme: Theme, todo: list[int], target: Target, now: datetime) -> Outcome:
        """Render the pages in `todo`, in workers when many; bytes the target already has are not written."""
        theme.env  # compile the environment once, before the workers fork
        for name in {prepared.pages[i].template for i in todo}:
            try:
                theme.env.get_template(name)
            except Exception:
                pass  # rendering reports it with its line
        job = RenderJob(prepared, theme, now, target, self.store.bodies)
        jobs = self.jobs if len(todo) >= PARALLEL_RENDER else 1
        size = max(16, min(256, len(todo) // (jobs * 16) + 1))
        outcome = Outcome()
        done = 0
        for part in run(render_batch, job, chunked(heavy_first(todo, prepared.pages), size), jobs):
            outcome.add(part)
            done += len(part.done) + len(part.errors)
            if self.progress:
                self.progress(done, len(todo))
        if outcome.errors:
            unique = {(e.path, e.line): e for e in outcome.errors}
            raise BuildFailed(unique.values())
        return outcome

    # ------------------------------------------------------------ publishing

    def search_index(self, prepared: Plan, theme: Theme, config_fp: str, articles: ArticleStamps,
                     manifest: Manifest | None, target: Target, outcome: Outcome) -> SearchIndex | None:
        """The shards of this build's search index, and which of them the last one made already.

        An article page's view key is its article's own fingerprint (its file, picture, term
        spellings, whether scheduled) and what every article page's indexed part shares:
        code, config, options and the article template with all it loads. Related articles,
        the previous/next links and the stylesheet's address are not in it: they sit outside
        the indexed article (docs/search.md)."""
        if self.output is None or not prepared.config.search:
            return None
        site = pickle.dumps((code_key(), config_fp, self.options.drafts, self.options.future,
                             [str(d) for d in theme.dirs], theme.closure("article.html")))
        old = manifest or Manifest()
        rendered = {prepared.pages[i].output_path: digest for i, digest, _ in outcome.done}

        def view(url: str) -> bytes:
            return hashlib.blake2b(site + articles[url][1], digest_size=16).digest()

        return SearchIndex.plan(prepared, view, lambda rel: rendered.get(rel) or old.hashes.get(rel, ""), old, target)

    def publish(self, prepared: Plan, theme: Theme, fps: list[str], outcome: Outcome, manifest: Manifest | None,
                target: Target, timings: Timings, search: SearchIndex | None) -> Manifest:
        """Complete the target (static files, files it lacks, deletions), index what changed, swap it in;
        the new manifest."""
        with timings.stage("publish"):
            old = manifest or Manifest()
            new, stamps, touched = self.complete(prepared, theme, fps, outcome, old, target, search)
        if search is not None:  # before the swap: pages and their index go live together
            with timings.stage("search"):
                made, changed = search.make(new, old, target, self.jobs)
            stamps.update(made)
            touched |= changed
        with timings.stage("publish"):
            for rel in new.pages:
                stamp = stamps.get(rel) or target.have.stamps.get(rel)
                if stamp is not None:
                    new.stamps[rel] = stamp
            if self.output is None:
                files = dict(self.files) if manifest is not None else {}
                files.update((rel, data) for rel, data in outcome.data.items())
                self.files = {rel: files[rel] for rel in new.pages if rel in files}
                return new
            target.commit()
            if target.twin is not None:
                # The old output becomes the spare; files edited in it by hand are not what we wrote.
                new.spare = replace(old, spare=None, site="", articles={}, checked=not target.stirred,
                                    hashes={rel: digest for rel, digest in old.hashes.items()
                                            if rel not in target.dirty})
            record(self.output.resolve(), new, target.settled, touched)
        return new

    def complete(self, prepared: Plan, theme: Theme, fps: list[str], outcome: Outcome, old: Manifest,
                 target: Target, search: SearchIndex | None) -> tuple[Manifest, dict[str, Stamp], set[str]]:
        """Everything but the search bundles to make: the new manifest, the stamps of files
        written or linked, and the folders whose entries changed."""
        new = Manifest()
        for i, page in enumerate(prepared.pages):
            new.pages[page.output_path] = fps[i]
        rendered = {prepared.pages[i].output_path: digest for i, digest, _ in outcome.done}
        stamps = {prepared.pages[i].output_path: stamp for i, _, stamp in outcome.done if stamp is not None}
        copies = {f"{STATIC}/{rel}": ("static:" + theme.fingerprints[rel], path)
                  for rel, path in theme.static_files.items()}
        copies.update(media_files(prepared.index.articles, prepared.config))  # articles' pictures
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
        return new, stamps, touched

def horizon(articles: list[Article], now: datetime) -> datetime | None:
    """When the site next changes by itself: a scheduled article comes due, or a recent one
    leaves the news sitemap."""
    times = [a.date for a in articles if a.date > now]
    times += [a.date + NEWS_WINDOW for a in articles if a.date <= now < a.date + NEWS_WINDOW]
    return min(times, default=None)


def _article_fingerprint(article: Article, digest: str, index: SiteIndex, now: datetime) -> bytes:
    """What an article's views depend on besides the config: its file, the index's spellings
    of its terms and outlet, and whether it is still scheduled."""
    names = []
    for taxonomy, values in article.terms:
        group = index.terms.get(taxonomy, {})
        for name in values:
            term = group.get(term_slug(name))
            names.append(term.name if term else None)
    if article.source is not None:
        outlet = index.sources.get(term_slug(article.source.name))
        names.append(outlet.name if outlet else None)
    return pickle.dumps((article.path, digest, names, article.date > now))
