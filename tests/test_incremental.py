"""Incremental builds are exact: after any sequence of edits, renames, deletions,
template, static and config changes, the output is byte-identical to a clean build.

A seeded random walk over a ~60-article site compares, after every step, the
incrementally built folder (cache in site/.digest-cache, spare copy swapped in)
and the preview's in-memory site with a clean build of the same inputs.
"""
from __future__ import annotations

import random
from pathlib import Path

import pytest
from conftest import DROP, Site, tree_digest

from digest.errors import BuildFailed
from digest.incremental.atomic import MARKER
from digest.incremental.cache import Store
from digest.site import pipeline as pipeline_module
from digest.site.pipeline import Pipeline, build
from digest.site.routes import plan as real_plan

TAGS = ["Trade", "trade", "Energy", "C++", "Climate", "Elections", "Дипломатия", "Health", "AI", "Oil"]
REGIONS = ["Europe", "Asia", "Andes", "Africa", "North America"]
OUTLETS = ["Andes Wire", "Example Times", "The Courier", "Daily Ledger"]
WORDS = "peso markets talks summit vote quota oil gas treaty court ruling budget deficit".split()


def random_body(rng: random.Random) -> str:
    paragraphs = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 25))).capitalize() + "."
                  for _ in range(rng.randint(1, 4))]
    if rng.random() < 0.3:
        paragraphs.append(f"A [link](https://x.example/{rng.randint(1, 99)}) and a note.[^1]\n\n[^1]: Note.")
    return "\n\n".join(paragraphs) + "\n"


def random_front_matter(rng: random.Random, n: int) -> dict:
    day, hour = rng.randint(1, 12), rng.randint(0, 23)
    month = rng.choice([10, 11, 11, 11])
    fm: dict = {
        "title": f"Story {n} {rng.choice(WORDS)}",
        "date": f"2016-{month:02d}-{day:02d}T{hour:02d}:{rng.randint(0, 59):02d}:00+0{rng.randint(0, 5)}:00",
        "tags": rng.sample(TAGS, rng.randint(0, 3)),
        "regions": rng.sample(REGIONS, rng.randint(0, 2)),
        "source": {"name": rng.choice(OUTLETS), "url": f"https://src.example/{n}"},
        "summary": DROP if rng.random() < 0.5 else f"Summary {n}.",
    }
    if rng.random() < 0.1:
        fm["draft"] = "true"
    if rng.random() < 0.05:
        fm["date"] = "2020-06-01"  # scheduled: after NOW, left out
    if rng.random() < 0.1:
        fm["disclaimer"] = "opinion"
    return fm


class Walk:
    """The site, its articles' front matter, and one random edit per step."""

    def __init__(self, site: Site, rng: random.Random) -> None:
        self.site, self.rng = site, rng
        self.articles: dict[str, dict] = {}
        self.counter = 0
        self.now = site.now
        for _ in range(60):
            self.add()

    def add(self) -> str:
        self.counter += 1
        name = f"a{self.counter:03d}.md" if self.rng.random() < 0.8 else f"sub/a{self.counter:03d}.md"
        self.articles[name] = random_front_matter(self.rng, self.counter)
        self.write(name, random_body(self.rng))
        return f"add {name}"

    def write(self, name: str, body: str | None = None) -> None:
        path = self.site.root / "content" / name
        if body is None:
            body = path.read_text().split("---\n", 2)[2]
        self.site.article(name, self.articles[name], body)

    def pick(self) -> str:
        return self.rng.choice(sorted(self.articles))

    def step(self) -> str:
        action = self.rng.choice([
            self.edit_body, self.edit_body, self.edit_title, self.edit_tags, self.edit_tags, self.edit_date,
            self.add, self.delete, self.rename_file, self.edit_slug, self.toggle_draft, self.edit_template,
            self.edit_static, self.edit_config, self.touch, self.tamper_output, self.broken_article,
            self.respell, self.respell, self.time_passes, self.edit_edition, self.edit_edition,
            self.take_down_or_restore, self.correct,
        ])
        return action()

    def edit_edition(self) -> str:
        """Add, change or delete an edition file for a day the last build published."""
        folder = self.site.root / "content" / "editions"
        existing = sorted(folder.glob("*.md")) if folder.is_dir() else []
        if existing and self.rng.random() < 0.3:
            path = self.rng.choice(existing)
            path.unlink()
            return f"edition deleted {path.name}"
        days = sorted(p.parent for p in self.site.output.glob("[0-9]*/[0-9]*/[0-9]*/index.html"))
        if not days:
            return "edition: no day yet"
        day = "-".join(self.rng.choice(days).relative_to(self.site.output).parts)
        title = f"Edition {self.rng.randint(0, 99)}"
        self.site.write(f"content/editions/{day}.md", f"---\ntitle: \"{title}\"\nsummary: A day.\n---\n"
                        f"A note, *{self.rng.randint(0, 9)}*.\n")
        return f"edition {day}: {title}"

    def respell(self) -> str:
        """Flip the most used spelling of a term: every page naming it must follow."""
        old, new = self.rng.choice([("Trade", "trade"), ("trade", "Trade"), ("AI", "ai"), ("ai", "AI")])
        names = [n for n, fm in self.articles.items() if old in fm["tags"]]
        for name in names[: self.rng.randint(1, 6)]:
            fm = self.articles[name]
            fm["tags"] = [new if t == old else t for t in fm["tags"] if t != new] or [new]
            self.write(name)
        name = self.pick()
        if new not in self.articles[name]["tags"]:
            self.articles[name]["tags"] = [*self.articles[name]["tags"], new]
            self.write(name)
        return f"respell {old} → {new}"

    def time_passes(self) -> str:
        """Scheduled articles come due (and, in the preview, lose their badge)."""
        self.now = self.now.replace(year=self.now.year + 1) if self.now.year < 2021 else self.now
        name = self.pick()
        self.articles[name]["date"] = self.rng.choice(["2020-06-01", "2021-06-01", "2022-01-01"])
        self.write(name)
        return f"time passes: now {self.now.date()}"

    def take_down_or_restore(self) -> str:
        """A takedown leaves a notice at the URL and the article nowhere else; a restore undoes it."""
        name = self.pick()
        fm = self.articles[name]
        if fm.pop("removed", None) is not None:
            self.write(name)
            return f"restore {name}"
        fm["removed"] = {"date": "2017-01-02", "reason": f"Removed {self.rng.randint(0, 99)}"}
        self.write(name)
        return f"take down {name}"

    def correct(self) -> str:
        """A correction: the note, `updated`, the feeds and /corrections/ follow."""
        name = self.pick()
        corrections = self.articles[name].setdefault("corrections", [])
        corrections.append({"date": f"2023-0{self.rng.randint(1, 9)}-1{self.rng.randint(0, 9)}",  # after any date
                            "text": f"Fixed *{self.rng.choice(WORDS)}*."})
        self.write(name)
        return f"correct {name}"

    def edit_body(self) -> str:
        name = self.pick()
        self.write(name, random_body(self.rng))
        return f"body {name}"

    def edit_title(self) -> str:
        name = self.pick()
        self.articles[name]["title"] = f"Retitled {self.rng.randint(0, 999)} & more"
        self.write(name)
        return f"title {name}"

    def edit_tags(self) -> str:
        name = self.pick()
        self.articles[name]["tags"] = self.rng.sample(TAGS, self.rng.randint(0, 4))
        self.articles[name]["source"] = {"name": self.rng.choice(OUTLETS)}
        self.write(name)
        return f"tags {name}"

    def edit_date(self) -> str:
        name = self.pick()
        self.articles[name]["date"] = f"2016-{self.rng.choice([9, 10, 11]):02d}-{self.rng.randint(1, 28):02d}"
        self.write(name)
        return f"date {name}"

    def delete(self) -> str:
        name = self.pick()
        (self.site.root / "content" / name).unlink()
        del self.articles[name]
        return f"delete {name}"

    def rename_file(self) -> str:
        name = self.pick()
        new = f"renamed-{self.counter}-{name.replace('/', '-')}"
        self.counter += 1
        (self.site.root / "content" / name).rename(self.site.root / "content" / new)
        self.articles[new] = self.articles.pop(name)
        return f"rename {name} → {new}"

    def edit_slug(self) -> str:
        name = self.pick()
        self.articles[name]["slug"] = f"slug-{self.rng.randint(0, 9999)}"
        self.write(name)
        return f"slug {name}"

    def toggle_draft(self) -> str:
        name = self.pick()
        fm = self.articles[name]
        fm["draft"] = "false" if fm.get("draft") == "true" else "true"
        self.write(name)
        return f"draft {name}"

    def edit_template(self) -> str:
        choice = self.rng.choice(["item", "article", "remove"])
        if choice == "remove":
            for path in (self.site.root / "theme" / "templates").rglob("*.html"):
                path.unlink()
            return "templates: back to the default theme"
        if choice == "item":
            self.site.write("theme/templates/partials/item.html",
                            f'<article class="item v{self.rng.randint(0, 99)}"><a href="{{{{ item.url|url }}}}">'
                            "{{ item.title }}</a></article>\n")
        else:
            self.site.write("theme/templates/article.html",
                            '{% extends "base.html" %}{% block main %}<h1>{{ article.title }}</h1>'
                            f"<p>v{self.rng.randint(0, 99)}</p>{{{{ article.body_html }}}}{{% endblock %}}\n")
        return f"template {choice}"

    def edit_static(self) -> str:
        if self.rng.random() < 0.3:
            for path in (self.site.root / "theme" / "static").glob("*"):
                path.unlink()
            return "static: removed"
        name = self.rng.choice(["style.css", "extra.css"])
        self.site.write(f"theme/static/{name}", f"body {{ margin: {self.rng.randint(0, 9)}px }}\n")
        return f"static {name}"

    def edit_config(self) -> str:
        self.site.write_config(title=f"Digest {self.rng.randint(0, 9)}", paginate=self.rng.choice([3, 5, 10]),
                               newsletter=self.rng.choice([True, True, False]))
        return "config"

    def touch(self) -> str:
        name = self.pick()
        path = self.site.root / "content" / name
        path.write_bytes(path.read_bytes())
        return f"touch {name}"

    def tamper_output(self) -> str:
        output = self.site.output
        if not output.exists():
            return "tamper: nothing built yet"
        (output / "stray.html").write_text("not ours")
        pages = sorted(p for p in output.rglob("index.html"))
        self.rng.choice(pages).write_text("edited by hand")
        return "tamper output"

    def broken_article(self) -> str:
        self.site.write("content/broken.md", "---\ntitle: Broken\ndate: nope\n---\nBody\n")
        return "broken"


@pytest.fixture(params=["serial", "parallel"])
def jobs(request, monkeypatch) -> int:
    if request.param == "parallel":
        monkeypatch.setattr(pipeline_module, "PARALLEL_PARSE", 2)
        monkeypatch.setattr(pipeline_module, "PARALLEL_RENDER", 2)
        return 2
    return 1


def build_pruning_editions(site: Site, options, jobs: int) -> None:
    """Build; an edition file whose day lost its articles fails the build without touching the
    output, and is deleted before building again."""
    before = site.tree() if site.output.exists() else None
    try:
        build(site.root, site.output, options, jobs=jobs)
        return
    except BuildFailed as failed:
        assert all("has no published articles" in e.message or "was deleted" in e.message
                   for e in failed.errors), failed
        assert before is None or site.tree() == before
        for error in failed.errors:
            if "was deleted" in error.message:  # the editor's way to delete an article: its URL is gone
                site.gone(error.message.rpartition(" at ")[2])
            else:
                (site.root / error.path).unlink()
    build(site.root, site.output, options, jobs=jobs)


@pytest.mark.parametrize("seed", [1, 2])
def test_random_edits_match_clean_builds(make_site, tmp_path, seed, jobs):
    site = make_site(newsletter=True)  # every edition's newsletter.html and .txt follow its articles too
    rng = random.Random(seed)
    walk = Walk(site, rng)
    clean_output = tmp_path / "clean"
    memory = Pipeline(site.root, None, Store(), site.options(), jobs=jobs)  # the preview's
    for number in range(30):
        did = walk.step() if number else "first build"
        broken = (site.root / "content" / "broken.md").exists()
        options = site.options(now=walk.now)
        before = site.tree() if site.output.exists() else None
        if broken:
            with pytest.raises(BuildFailed):
                build(site.root, site.output, options, jobs=jobs)
            if not did.startswith("tamper"):
                assert site.tree() == before, f"step {number} ({did}): a failed build changed the output"
            (site.root / "content" / "broken.md").unlink()
        build_pruning_editions(site, options, jobs)
        build(site.root, clean_output, options, jobs=1, cache=False)
        expected = tree_digest(clean_output)
        assert site.tree() == expected, f"step {number} ({did}): incremental output differs from a clean build"
        memory.options = site.options(now=walk.now, drafts=True, future=True)
        memory.run()
        build(site.root, clean_output, site.options(now=walk.now, drafts=True, future=True), jobs=1, cache=False)
        expected = tree_digest(clean_output)
        in_memory = {rel: data for rel, data in memory.files.items()}
        on_disk = {rel: (clean_output / rel).read_bytes() for rel, digest in expected.items()
                   if digest != "/" and rel != MARKER}
        assert in_memory == on_disk, f"step {number} ({did}): the preview's site differs from a clean build"


def test_nothing_changed_writes_nothing(site):
    site.article("a.md", {"title": "A", "tags": ["Trade"]})
    site.article("b.md", {"title": "B", "date": "2016-11-10"})
    first = build(site.root, site.output, site.options())
    assert first.written == first.files or first.written > 0
    again = build(site.root, site.output, site.options())
    assert (again.rendered, again.written, again.deleted) == (0, 0, 0)


def test_newsletters_follow_their_articles(make_site):
    """An article's summary edit renders its day's newsletters again, and only the pages showing it."""
    site = make_site(newsletter=True)
    site.article("a.md", {"title": "A", "tags": ["Trade"], "summary": "First."})
    site.article("b.md", {"title": "B", "date": "2016-11-10T10:00:00Z", "summary": "Other day."})
    build(site.root, site.output, site.options())
    day = site.output / "2016/11/09"
    assert "First." in (day / "newsletter.txt").read_text()
    site.article("a.md", {"title": "A", "tags": ["Trade"], "summary": "Second."})
    before = (site.output / "2016/11/10/newsletter.html").stat().st_mtime_ns
    build(site.root, site.output, site.options())
    assert "Second." in (day / "newsletter.txt").read_text() and "Second." in (day / "newsletter.html").read_text()
    assert (site.output / "2016/11/10/newsletter.html").stat().st_mtime_ns == before


def test_body_edit_renders_only_the_pages_showing_the_article(site):
    for n in range(30):
        site.article(f"a{n}.md", {"title": f"A{n}", "date": f"2016-11-{n % 28 + 1:02d}", "tags": [f"T{n % 5}"]})
    build(site.root, site.output, site.options())
    site.article("a7.md", {"title": "A7", "date": "2016-11-08", "tags": ["T2"]}, "A new body.\n")
    result = build(site.root, site.output, site.options())
    assert 0 < result.rendered < 20
    assert "A new body." in site.read("/2016/11/08/a7/")


def test_scheduled_article_appears_when_its_time_comes(site):
    from datetime import UTC, datetime

    site.article("now.md", {"title": "Now"})
    site.article("later.md", {"title": "Later", "date": "2020-01-02"})
    build(site.root, site.output, site.options())
    assert not site.exists("/2020/01/02/later/")
    build(site.root, site.output, site.options(now=datetime(2020, 1, 3, tzinfo=UTC)))
    assert site.exists("/2020/01/02/later/")


def test_scheduled_article_appears_when_its_time_comes_though_no_file_changed(site):
    """`digest build` from cron publishes a scheduled article on its day, though every file's
    stat is trusted and nothing else changed."""
    import os
    import time
    from datetime import UTC, datetime

    paths = [site.article("now.md", {"title": "Now"}), site.article("later.md", {"title": "Later", "date": "2020-01-02"})]
    past = time.time() - 60
    for path in paths:
        os.utime(path, (past, past))
    build(site.root, site.output, site.options())
    assert list(build(site.root, site.output, site.options()).stages) == ["config", "scan"]  # a no-op
    assert not site.exists("/2020/01/02/later/")
    build(site.root, site.output, site.options(now=datetime(2020, 1, 3, tzinfo=UTC)))
    assert site.exists("/2020/01/02/later/")
    assert "Later" in site.read("/")


@pytest.mark.parametrize("damage", [None, b"not a pickle", b""])
def test_a_value_derived_from_bytes_is_kept_by_their_digest_across_builds(tmp_path: Path, damage: bytes | None):
    """Store.derived: the URL registry's parse is kept; new bytes are parsed again; a damaged or
    missing cache file costs one parse."""
    from digest.incremental.cache import DiskStore

    calls: list[bytes] = []

    def parse(data: bytes) -> dict[str, bytes]:
        calls.append(data)
        return {"parsed": data}

    first = DiskStore(tmp_path)
    assert first.derived("registry", b"one", lambda: parse(b"one")) == {"parsed": b"one"}
    assert first.derived("registry", b"one", lambda: parse(b"one")) == {"parsed": b"one"}
    assert calls == [b"one"]
    kept = first.root / "derived" / "registry.pickle"
    if damage is not None:
        kept.write_bytes(damage)
    again = DiskStore(tmp_path)  # a later build: a new process
    assert again.derived("registry", b"one", lambda: parse(b"one")) == {"parsed": b"one"}
    assert calls == [b"one"] if damage is None else [b"one", b"one"]
    assert again.derived("registry", b"two", lambda: parse(b"two")) == {"parsed": b"two"}
    assert DiskStore(tmp_path).derived("registry", b"two", lambda: parse(b"two")) == {"parsed": b"two"}
    assert calls[-1] == b"two" and calls.count(b"two") == 1


def test_a_hand_edit_of_the_url_registry_is_read_though_its_parse_is_kept(site):
    for name in ("a", "b"):
        site.article(f"{name}.md", {"title": name.upper(), "slug": name,
                                    "source": {"name": "Times", "url": f"https://times.example/{name}"}})
    build(site.root, site.output, site.options())
    build(site.root, site.output, site.options())  # the registry's parse is kept now
    (site.root / "content" / "b.md").unlink()
    assert any("b.md was deleted" in e for e in site.build_errors())
    site.gone("/2016/11/09/b/")
    build(site.root, site.output, site.options())
    assert not site.exists("/2016/11/09/b/")


def test_deleting_the_cache_costs_one_full_build(site):
    import shutil

    site.article("a.md", {"title": "A"})
    build(site.root, site.output, site.options())
    before = site.tree()
    shutil.rmtree(site.root / ".digest-cache")
    result = build(site.root, site.output, site.options())
    assert result.rendered == result.pages
    assert site.tree() == before


def test_cache_folder_ignores_itself_in_git(site):
    site.article("a.md", {"title": "A"})
    build(site.root, site.output, site.options())
    assert (site.root / ".digest-cache" / ".gitignore").read_text().strip().endswith("*")


def test_output_spare_copy_shares_unchanged_files(site):
    site.article("a.md", {"title": "A"})
    site.article("b.md", {"title": "B", "date": "2016-11-10"})
    build(site.root, site.output, site.options())
    site.article("b.md", {"title": "B", "date": "2016-11-10"}, "Changed.\n")
    build(site.root, site.output, site.options())
    spare = site.output.with_name(f".{site.output.name}.spare")
    article = Path("2016/11/09/a/index.html")
    assert (site.output / article).stat().st_ino == (spare / article).stat().st_ino


def test_folder_stamps_stay_true_when_untouched_folders_are_not_read_again(site):
    """An incremental build re-reads only the stamps of folders it changed; the rest are the
    spare's, checked when the build began. Every recorded stamp must still be the folder's own."""
    import os

    from digest.incremental.cache import DiskStore, digest_of

    for n in range(6):
        site.article(f"a{n}.md", {"title": f"A{n}", "date": f"2016-11-{n + 1:02d}", "tags": [f"T{n % 2}"]})
    steps = [
        lambda: site.article("a2.md", {"title": "A2", "date": "2016-11-03", "tags": ["T0"]}, "New body.\n"),
        lambda: site.article("new.md", {"title": "New", "date": "2017-03-04", "tags": ["Fresh"]}),
        lambda: (site.root / "content" / "a5.md").unlink(),
        lambda: site.article("a1.md", {"title": "A1", "date": "2016-11-02", "tags": ["T1"]}, "Again.\n"),
    ]
    build(site.root, site.output, site.options())
    for step in [lambda: None, *steps]:
        step()
        build(site.root, site.output, site.options())
        manifest = DiskStore(site.root).manifest(digest_of(str(site.output.resolve()).encode()))
        assert manifest is not None and manifest.dirs
        for rel, (ino, mtime) in manifest.dirs.items():
            info = os.lstat(site.output / rel)
            assert (info.st_ino, info.st_mtime_ns) == (ino, mtime), rel
        again = build(site.root, site.output, site.options())
        assert (again.rendered, again.written, again.deleted) == (0, 0, 0)


def test_a_new_folder_makes_its_parent_stamp_be_read_again(tmp_path):
    """outputs.record keeps a known folder's stamp unless the build touched it; making a folder
    inside it changes it too, even when no file of the parent itself was written."""
    import os

    from digest.incremental.atomic import MARKER
    from digest.incremental.cache import Manifest
    from digest.incremental.output_state import record

    root = tmp_path / "out"
    (root / "a").mkdir(parents=True)
    (root / MARKER).write_text("x")
    (root / "a" / "old.html").write_text("old")

    def stamp(rel: str) -> tuple[int, int]:
        info = os.lstat(root / rel)
        return (info.st_ino, info.st_mtime_ns)
    known = {"": stamp(""), "a": stamp("a")}
    known["a"] = (known["a"][0], 2)  # a stamp no folder has: kept, it would show
    (root / "a" / "new").mkdir()
    (root / "a" / "new" / "index.html").write_text("new")
    manifest = Manifest(pages={"a/old.html": "", "a/new/index.html": ""})
    record(root, manifest, known, touched={"a/new"})
    assert manifest.dirs["a"] == stamp("a") != known["a"]
    assert manifest.dirs["a/new"] == stamp("a/new")


def test_a_stray_file_in_the_output_never_comes_back_through_the_spare(site):
    """A file dropped into the output stays in that folder when it becomes the spare copy; the
    spare's folders are then checked before it is swapped in again (they are skipped only when
    the spare was found untouched while it was the output)."""
    for n in range(4):
        site.article(f"a{n}.md", {"title": f"A{n}", "date": f"2016-11-{n + 1:02d}"})
    build(site.root, site.output, site.options())
    for n, folder in enumerate(["", "2016/11/02/a1", "tags"]):
        site.article("a0.md", {"title": "A0", "date": "2016-11-01"}, f"Edit {n}.\n")
        build(site.root, site.output, site.options())  # the spare copy exists from here on
        stray = site.output / folder / "stray.html"
        stray.parent.mkdir(parents=True, exist_ok=True)
        stray.write_text("not ours")
        for m in range(3):
            site.article("a3.md", {"title": "A3", "date": "2016-11-04"}, f"Body {n} {m}.\n")
            build(site.root, site.output, site.options())
            assert not (site.output / folder / "stray.html").exists(), (folder, m)


def test_a_long_running_builder_leaves_the_collector_as_it_found_it(site):
    """Builds raise the collector's threshold and freeze what they load (digest/heap.py); the
    preview builds again and again in one process, so each build must undo both, or cyclic
    garbage of every build would never be collected."""
    import gc

    for n in range(3):
        site.article(f"a{n}.md", {"title": f"A{n}", "date": f"2016-11-{n + 1:02d}"})
    before = gc.get_threshold()
    assert gc.get_freeze_count() == 0
    memory = Pipeline(site.root, None, Store(), site.options(), jobs=2)
    for n in range(3):
        site.article("a0.md", {"title": "A0", "date": "2016-11-01"}, f"Edit {n}.\n")
        memory.run()
        build(site.root, site.output, site.options(), jobs=2)
        assert gc.get_threshold() == before
        assert gc.get_freeze_count() == 0


def test_respelling_a_term_reaches_articles_that_were_not_edited(site, tmp_path):
    site.article("a.md", {"title": "A", "tags": ["Trade"]})
    site.article("b.md", {"title": "B", "tags": ["Trade"], "date": "2016-11-10"})
    site.article("c.md", {"title": "C", "tags": ["trade"], "date": "2016-11-11"})
    build(site.root, site.output, site.options())
    assert ">Trade<" in site.read("/2016/11/11/c/")
    site.article("a.md", {"title": "A", "tags": ["trade"]})
    site.article("b.md", {"title": "B", "tags": ["trade"], "date": "2016-11-10"})
    build(site.root, site.output, site.options())
    assert ">trade<" in site.read("/2016/11/11/c/")
    build(site.root, tmp_path / "clean", site.options(), cache=False)
    assert site.tree() == tree_digest(tmp_path / "clean")



def test_recent_article_leaves_the_news_sitemap_by_itself(site, tmp_path):
    """Nothing on disk changes, yet two days later the news sitemap must drop the article."""
    from datetime import UTC, datetime

    site.article("fresh.md", {"title": "Fresh", "date": "2019-12-31"})
    site.article("old.md", {"title": "Old", "date": "2016-11-09"})
    build(site.root, site.output, site.options())
    later = site.options(now=datetime(2020, 1, 5, tzinfo=UTC))
    build(site.root, site.output, later)
    build(site.root, tmp_path / "clean", later, cache=False)
    assert site.tree() == tree_digest(tmp_path / "clean")


def test_body_edit_reuses_the_plan_and_a_title_edit_does_not(site, monkeypatch):
    for n in range(12):
        site.article(f"a{n}.md", {"title": f"A{n}", "date": f"2016-11-{n + 1:02d}", "tags": ["T"], "summary": "S."})
    build(site.root, site.output, site.options())
    planned = []
    monkeypatch.setattr(pipeline_module, "plan_routes", lambda *a: planned.append(1) or real_plan(*a))
    site.article("a3.md", {"title": "A3", "date": "2016-11-04", "tags": ["T"], "summary": "S."}, "Another body.\n")
    build(site.root, site.output, site.options())
    assert "Another body." in site.read("/2016/11/04/a3/") and planned == []
    site.article("a3.md", {"title": "A3 renamed", "date": "2016-11-04", "tags": ["T"], "summary": "S."},
                 "Another body.\n")
    build(site.root, site.output, site.options())
    assert "A3 renamed" in site.read("/2016/11/05/a4/") and planned == [1]


# ---------------------------------------------------------------- bodies out of memory


def _cache(site: Site) -> Path:
    (version,) = (site.root / ".digest-cache").glob("v*")
    return version


def test_cached_articles_carry_no_bodies(site):
    """Bodies live in the body store, so the parent and its workers don't hold them all."""
    import pickle

    from digest.incremental.bodies import Bodies

    site.article("a.md", {"title": "A"}, "Body text that only the store holds.\n")
    build(site.root, site.output, site.options())
    shards = [pickle.loads(p.read_bytes()) for p in (_cache(site) / "articles").glob("*.pickle")]
    (entry,) = [e for shard in shards for e in shard.values()]
    article = entry[1]
    assert article.body_html == "" and article.body_key
    assert "only the store holds" in (Bodies(_cache(site) / "bodies.sqlite").get(article.body_key) or "")
    assert "only the store holds" in site.read(article.url)


def test_replaced_bodies_are_dropped_from_the_store(site):
    import sqlite3

    site.article("a.md", {"title": "A"}, "First body.\n")
    site.article("b.md", {"title": "B"}, "Other body.\n")
    build(site.root, site.output, site.options())
    site.article("a.md", {"title": "A"}, "Second body.\n")
    build(site.root, site.output, site.options())
    db = sqlite3.connect(_cache(site) / "bodies.sqlite")
    rows = [html for (html,) in db.execute("SELECT html FROM bodies")]
    db.close()
    assert sorted(rows) == sorted(["<p>Other body.</p>\n", "<p>Second body.</p>\n"])


@pytest.mark.parametrize("damage", ["deleted", "garbled"])
def test_a_lost_body_store_is_rendered_again_from_the_files(site, damage):
    """Pages that show an article re-read its body; if the store lost it (or a power cut garbled
    it: the store skips fsync), the file is parsed again."""
    import sqlite3

    for n in range(3):
        site.article(f"a{n}.md", {"title": f"A{n}"}, f"Body number {n}.\n")
    build(site.root, site.output, site.options())
    if damage == "deleted":
        (_cache(site) / "bodies.sqlite").unlink()
    else:
        db = sqlite3.connect(_cache(site) / "bodies.sqlite")
        with db:
            assert db.execute("UPDATE bodies SET html = '<p>Garbled.</p>'").rowcount == 3
        db.close()
    base = (Path(__file__).parent.parent / "theme" / "templates" / "base.html").read_text()
    site.write("theme/templates/base.html", base.replace("</footer>", "<p>Changed.</p></footer>"))
    result = build(site.root, site.output, site.options())
    assert result.rendered == result.pages
    clean = site.root.parent / "clean"
    build(site.root, clean, site.options(), clean=True, cache=False)
    assert tree_digest(site.output) == tree_digest(clean)
    assert "Body number 2." in site.read("/2016/11/09/a2/")
    assert "Garbled" not in site.read("/2016/11/09/a2/")


def test_an_unwritable_cache_keeps_bodies_in_memory(site):
    """A site whose cache can't be written (here a file stands where the folder goes) still builds:
    bodies then stay in the articles."""
    site.article("a.md", {"title": "A"}, "Readable body.\n")
    (site.root / ".digest-cache").write_text("not a folder\n")
    result = build(site.root, site.output, site.options(), jobs=2)
    assert result.articles == 1
    assert "Readable body." in site.read("/2016/11/09/a/")


def test_compiled_templates_are_kept_and_a_damaged_one_is_compiled_again(site):
    """Templates compiled by one build are loaded by the next (a tenth of a one-article
    rebuild); a garbled file in that cache only costs a compile."""
    from digest.render.theme import environment

    site.article("a.md", {"title": "A", "tags": ["Trade"]})
    build(site.root, site.output, site.options())
    before = site.tree()
    compiled = sorted((_cache(site) / "templates").glob("__jinja2_*.cache"))
    assert len(compiled) >= 5  # base, article, list, feeds, partials …
    for path in compiled:
        path.write_bytes(b"garbage")
    environment.cache_clear()  # as a new process would
    site.article("a.md", {"title": "A", "tags": ["Trade"]}, "A new body.\n")
    build(site.root, site.output, site.options())
    environment.cache_clear()
    clean = site.root.parent / "clean"
    build(site.root, clean, site.options(), clean=True, cache=False)
    assert tree_digest(site.output) == tree_digest(clean) and site.tree() != before


def test_caches_of_other_digest_versions_are_removed(site):
    """A new digest (or code change) starts a new cache folder; the old one, bodies and all,
    would otherwise stay on disk for good."""
    old = site.root / ".digest-cache" / "v1-0123456789abcdef01234567"
    (old / "articles").mkdir(parents=True)
    (old / "articles" / "00.pickle").write_bytes(b"old")
    site.article("a.md", {"title": "A"})
    build(site.root, site.output, site.options())
    assert not old.exists()
    assert [p.name for p in (site.root / ".digest-cache").glob("v*")] == [_cache(site).name]


def test_a_garbled_body_is_repaired_when_its_article_is_parsed_again(site):
    import sqlite3

    site.article("a.md", {"title": "A"}, "Good body.\n")
    build(site.root, site.output, site.options())
    db_path = _cache(site) / "bodies.sqlite"
    db = sqlite3.connect(db_path)
    with db:
        db.execute("UPDATE bodies SET html = '<p>Garbled.</p>'")
    db.close()
    build(site.root, site.output, site.options(), clean=True)  # parses the file again: same key
    db = sqlite3.connect(db_path)
    assert [html for (html,) in db.execute("SELECT html FROM bodies")] == ["<p>Good body.</p>\n"]
    db.close()


def test_a_file_the_watcher_names_is_read_again_though_its_stat_is_unchanged(site):
    """The preview passes the watcher's paths: a save that keeps size and mtime (a tool that
    restores mtimes, a coarse clock) is still seen; without the path, the stat shortcut holds."""
    import os
    import time

    path = site.article("a.md", {"title": "Alpha"}, "Body one.\n")
    past = time.time() - 60  # not racily clean: the stat alone would be trusted
    os.utime(path, (past, past))
    memory = Pipeline(site.root, None, Store(), site.options())
    memory.run()
    page = "2016/11/09/alpha/index.html"
    assert "Body one." in memory.files[page].decode()
    path.write_text(path.read_text().replace("Body one.", "Body two."))
    os.utime(path, (past, past))
    memory.run()
    assert "Body one." in memory.files[page].decode()  # the shortcut this test is about
    memory.run([site.root / "content" / "a.md"])
    assert "Body two." in memory.files[page].decode()
