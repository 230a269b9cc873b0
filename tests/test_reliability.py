"""Faults and hostile input during builds: refused outputs, failed and killed builds,
readers during a rebuild, URL collisions, YAML and Markdown edge cases, size limits,
and property-based tests of the content loader (Hypothesis)."""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
import unicodedata
from pathlib import Path

import pytest
from conftest import DEFAULT_CONFIG, Site, to_toml, tree_digest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digest.errors import BuildFailed, ContentError
from digest.site.articles import ArticleErrors, load_article
from digest.site.config import load_config
from tests.tools import digest_program

FRONT = '---\ntitle: "{title}"\ndate: 2016-11-{day:02d}\ntags: [T{tag}]\nsource: {{name: Wire, url: "https://wire.example/{n}"}}\n---\n\n{body}\n'


def fill(site: Site, count: int, marker: str = "v1") -> None:
    for n in range(count):
        site.write(f"content/a{n:04d}.md", FRONT.format(
            title=f"Article {n} {marker}", day=1 + n % 28, tag=n % 7, n=n,
            body=f"Paragraph of article {n}, version {marker}. " * 20))


def digest_cli(site: Site, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """The installed `digest` run in the site folder, as an editor runs it."""
    return subprocess.run([str(digest_program()), *args], cwd=site.root,
                          capture_output=True, text=True, timeout=timeout)


# ---------------------------------------------------------------- refused outputs

def refused_targets(site: Site, home: Path) -> dict[str, Path]:
    link = site.root.parent / "link-to-content"
    if not link.exists():
        link.symlink_to(site.root / "content")
    return {"site root": site.root, "content": site.root / "content", "parent of site": site.root.parent,
            "file-system root": Path("/"), "home": home, "symlink to content": link}


@pytest.mark.parametrize("name", ["site root", "content", "parent of site", "file-system root", "home",
                                  "symlink to content"])
def test_dangerous_outputs_are_refused_before_writing(site, tmp_path, monkeypatch, name):
    home = tmp_path / "home"
    home.mkdir()
    (home / "notes.txt").write_text("mine")
    monkeypatch.setenv("HOME", str(home))
    site.article("a.md", {"title": "A"})
    target = refused_targets(site, home)[name]
    before = tree_digest(site.root.parent)
    result = subprocess.run([sys.executable, "-m", "digest", "build", "--site", str(site.root),
                             "--output", str(target)], capture_output=True, text=True,
                            env={**os.environ, "HOME": str(home)}, timeout=60)
    assert result.returncode != 0
    assert str(site.root.resolve()) in result.stderr and "refusing" in result.stderr
    assert str(target.resolve()) in result.stderr or str(target) in result.stderr
    assert tree_digest(site.root.parent) == before  # nothing written anywhere


def test_sibling_with_a_common_prefix_is_accepted(site):
    site.article("a.md", {"title": "A"})
    sibling = site.root.parent / (site.root.name + "2")
    result = digest_cli(site, "build", "--output", str(sibling))
    assert result.returncode == 0, result.stderr
    assert (sibling / "index.html").is_file()
    inner = site.root / "content2"  # not content/, despite the shared prefix
    result = digest_cli(site, "build", "--output", str(inner))
    assert result.returncode == 0, result.stderr


# ---------------------------------------------------------------- failed and killed builds

def test_undecodable_bytes_at_article_500_of_1000_change_nothing(make_site):
    site = make_site()
    fill(site, 1000)
    assert digest_cli(site, "build").returncode == 0
    before = site.tree()
    path = site.root / "content" / "a0500.md"
    path.write_bytes(path.read_bytes().replace(b"version", b"versi\xff\xfen", 1))
    fill_marker = site.root / "content" / "a0001.md"
    fill_marker.write_text(fill_marker.read_text().replace("v1", "v2"))
    result = digest_cli(site, "build")
    assert result.returncode == 1
    assert "content/a0500.md:" in result.stderr and "UTF-8" in result.stderr
    assert site.tree() == before
    assert not [p for p in site.root.iterdir() if "staging" in p.name]


@pytest.mark.slow
def test_sigkill_at_random_points_leaves_old_or_new_tree(make_site, tmp_path):
    site = make_site()
    fill(site, 300, "old")
    assert digest_cli(site, "build").returncode == 0
    fill(site, 300, "new")
    reference = tmp_path / "reference"
    assert digest_cli(site, "build", "--output", str(reference)).returncode == 0
    new = tree_digest(reference)
    fill(site, 300, "old")  # built again now that the URL registry knows both: redirects included
    assert digest_cli(site, "build").returncode == 0
    old = site.tree()
    assert old != new
    started = time.monotonic()
    assert digest_cli(site, "build", "--output", str(tmp_path / "timing")).returncode == 0
    duration = time.monotonic() - started
    rng = random.Random(20261127)
    outcomes = []
    for _ in range(20):
        fill(site, 300, "old")  # each kill interrupts a build from old to new
        assert digest_cli(site, "build").returncode == 0
        fill(site, 300, "new")
        proc = subprocess.Popen([sys.executable, "-m", "digest", "build", "--site", str(site.root)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0, duration * 1.1))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        tree = site.tree()
        assert tree in (old, new)
        outcomes.append("new" if tree == new else "old")
    assert digest_cli(site, "build").returncode == 0  # the next build cleans up and succeeds
    assert site.tree() == new
    assert not [p for p in site.root.iterdir() if "staging" in p.name]
    print(f"SIGKILL outcomes: {outcomes.count('old')} old, {outcomes.count('new')} new")


def test_readers_never_see_a_truncated_or_mixed_page(make_site):
    site = make_site()
    versions: dict[str, set[bytes]] = {"index.html": set(), "2016/11/05/article-4-v1/index.html": set()}
    fill(site, 60, "v1")
    assert digest_cli(site, "build").returncode == 0
    snapshots = []
    for marker in ("v2", "v1", "v2"):
        snapshots.append({rel: (site.output / rel).read_bytes() for rel in versions
                          if (site.output / rel).exists()})
        fill(site, 60, marker)
        assert digest_cli(site, "build").returncode == 0
    snapshots.append({rel: (site.output / rel).read_bytes() for rel in versions if (site.output / rel).exists()})
    known = {rel: {s[rel] for s in snapshots if rel in s} for rel in versions}
    seen: list[tuple[str, bytes]] = []
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            for rel in versions:
                try:
                    seen.append((rel, (site.output / rel).read_bytes()))
                except FileNotFoundError:
                    seen.append((rel, b"<missing>"))

    thread = threading.Thread(target=reader)
    thread.start()
    for marker in ("v2", "v1", "v2", "v1"):
        fill(site, 60, marker)
        assert digest_cli(site, "build").returncode == 0
    stop.set()
    thread.join()
    assert len(seen) > 20
    for rel, data in seen:
        if rel == "index.html":
            assert data in known[rel], data[:80]
        else:  # the v1 article exists only in v1 builds: whole, or not there at all
            assert data in known[rel] or data == b"<missing>", data[:80]


# ---------------------------------------------------------------- URL collisions

def test_case_folded_slugs_collide_with_an_error_naming_both(site):
    site.article("one.md", {"title": "One", "slug": "Apple"})
    site.article("two.md", {"title": "Two", "slug": "apple"})
    errors = "\n".join(site.build_errors())
    assert "content/one.md" in errors and "content/two.md" in errors


def test_nfc_and_nfd_titles_collide_with_an_error_naming_both(site):
    site.article("nfc.md", {"title": unicodedata.normalize("NFC", "Café society")})
    site.article("nfd.md", {"title": unicodedata.normalize("NFD", "Café society")})
    errors = "\n".join(site.build_errors())
    assert "content/nfc.md" in errors and "content/nfd.md" in errors
    assert not site.output.exists()


# ---------------------------------------------------------------- YAML and size limits

def test_yaml_implicit_types_never_change_text_fields(site):
    site.article("a.md", 'title: 10:00\ndate: 2016-11-09\nslug: "012345"\ntags: [NO, on, 012345, 1e3, ~x]\n'
                         "regions: [10:00]\nauthors: [Yes]\noriginal: true")
    site.build()
    html = site.read("/2016/11/09/012345/")
    assert "<h1>10:00</h1>" in html
    for term in ("NO", "on", "012345", "1e3", "~x"):
        assert f">{term}<" in html, term
    assert "By Yes" in html
    assert site.exists("/regions/10-00/")


def test_front_matter_over_the_limit_is_refused_clearly(site):
    site.article("big.md", 'title: "Big"\ndate: 2016-11-09\noriginal: true\nsummary: "' + "x" * 1_000_000 + '"')
    errors = site.build_errors()
    assert any("content/big.md:1" in e and "KiB" in e for e in errors), errors


# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the forking parent (pytest itself).
MEASURED = """
import re, sys
from digest.cli import main
try:
    main()
finally:
    status = open("/proc/self/status").read()
    print("PEAK_RSS_KB", re.search(r"VmHWM:\\s+(\\d+)", status).group(1), file=sys.stderr)
"""


def run_limited(site: Site) -> tuple[subprocess.CompletedProcess[str], float]:
    """A build in a child process under a 30 s bound; returns it with its own peak RSS in MB."""
    result = subprocess.run([sys.executable, "-c", MEASURED, "build", "--site", str(site.root)],
                            capture_output=True, text=True, timeout=30)
    peak = int(result.stderr.rsplit("PEAK_RSS_KB", 1)[1].split()[0])
    return result, peak / 1024


PATHOLOGICAL = {
    "emphasis": "*_" * 40_000,
    "nested lists": "- " * 10_000 + "deep",
    "indented lists": "\n".join("  " * i + "- item" for i in range(10_000)),  # 95 MiB: refused
    "nested mixed": "> - " * 5_000 + "deep",
    "nested quotes": ">" * 10_000 + " deep",
    "brackets": "[" * 40_000,
    "long line": "word " * 200_000,
}


@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_pathological_markdown_builds_within_bounds(make_site, name):
    site = make_site()
    site.article("p.md", {"title": "Pathological"}, PATHOLOGICAL[name])
    result, rss = run_limited(site)
    refused = result.returncode == 1 and "articles are limited to 2 MiB" in result.stderr
    assert result.returncode == 0 or refused, result.stderr
    assert rss < 300, rss


def test_twenty_megabyte_article_is_refused_by_the_documented_limit(make_site):
    site = make_site()
    site.article("huge.md", {"title": "Huge"}, ("A paragraph of text. " * 50 + "\n\n") * 20_000)
    result, rss = run_limited(site)
    assert result.returncode == 1
    assert "content/huge.md:1" in result.stderr and "limited to 2 MiB" in result.stderr
    assert rss < 300


# ---------------------------------------------------------------- property-based

def config_for(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("prop")
    (root / "site.toml").write_text(to_toml(DEFAULT_CONFIG))
    return load_config(root)


@pytest.fixture(scope="module")
def prop_config(tmp_path_factory):
    return config_for(tmp_path_factory)


yaml_scalars = st.one_of(st.text(max_size=30), st.integers(), st.booleans(), st.none(),
                         st.dates().map(str), st.sampled_from(["NO", "on", "10:00", "012345", "~", "&a x", "*a"]))
yaml_values = st.recursive(yaml_scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=10)
field_names = st.sampled_from(["title", "date", "updated", "slug", "summary", "authors", "tags", "regions",
                               "source", "via", "original", "copyright", "disclaimer", "draft", "extra",
                               "image", "junk"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fields=st.dictionaries(field_names, yaml_values, max_size=10), body=st.text(max_size=400))
def test_any_front_matter_builds_or_raises_content_errors(prop_config, fields, body):
    import yaml

    text = "---\n" + yaml.safe_dump(fields, allow_unicode=True) + "---\n" + body
    try:
        article = load_article(text.encode("utf-8", "surrogatepass"), "content/p.md", prop_config)
    except ContentError as exc:
        assert exc.path == "content/p.md"
    except ArticleErrors as exc:
        assert exc.errors and all(e.path == "content/p.md" for e in exc.errors)
    else:
        assert article.url.startswith("/") and ".." not in article.url


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=600) | st.text(max_size=600).map(lambda t: ("---\n" + t).encode("utf-8", "replace")))
def test_any_bytes_build_or_raise_content_errors(prop_config, raw):
    try:
        load_article(raw, "content/p.md", prop_config)
    except ContentError as exc:
        assert exc.path == "content/p.md"
    except ArticleErrors as exc:
        assert all(e.path == "content/p.md" for e in exc.errors)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=st.text(min_size=1, max_size=40), slug=st.text(max_size=30), body=st.text(max_size=300),
       tag=st.text(min_size=1, max_size=20))
def test_whole_builds_never_write_outside_the_output(tmp_path_factory, title, slug, body, tag):
    import yaml

    root = tmp_path_factory.mktemp("pbuild")
    site = Site(root / "site")
    site.write_config()
    fields = {"title": title, "date": "2016-11-09", "original": True, "tags": [tag]}
    if slug:
        fields["slug"] = slug
    site.write("content/x.md", "---\n" + yaml.safe_dump(fields, allow_unicode=True) + "---\n" + body)
    try:
        site.build()
    except BuildFailed as exc:
        assert all(e.path.startswith("content/") or e.path == "site.toml" for e in exc.errors), exc
    outside = {p for p in root.rglob("*")} - {p for p in site.root.rglob("*")} - {site.root}
    assert outside == set()


def test_template_globals_in_content_stay_literal_and_tab_disguised_scripts_vanish(site):
    site.article("a.md", {"title": "{{ cycler.__init__.__globals__ }}"},
                 "{{ cycler.__init__.__globals__ }}\n\n[x](java&#x09;script:alert(1)) "
                 "<a href=javascript:alert(2)>raw</a>\n")
    site.build()
    (url,) = [u for u in site.urls() if u.startswith("/2016/11/09/") and u.count("/") == 5]
    html = site.read(url)
    assert html.count("{{ cycler.__init__.__globals__ }}") >= 2
    assert "__builtins__" not in html and "os.system" not in html
    assert "javascript:" not in html.lower().replace("&lt;a href=javascript:alert(2)&gt;", "")
    assert "<a href=javascript" not in html
