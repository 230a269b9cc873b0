"""Shared fixtures for the digest test suite.

Every test builds a small site of its own under ``tmp_path``:

    def test_something(make_site):
        site = make_site()                       # site.toml with DEFAULT_CONFIG
        site.article("content/a.md", {"title": "Hello"}, "Body text.")
        site.build()                             # → site.output (public/)
        page = site.page("/2016/11/09/hello/")   # parsed HTML, see HtmlPage

Articles get DEFAULT_ARTICLE's fields unless a test says otherwise; pass
``DROP`` as a value to leave a field out, or raw YAML text to write the
front matter exactly as given. Time is pinned (``NOW``), so future-dated
and draft articles behave the same on every run.
"""
from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from digest.errors import BuildFailed
from digest.site.pipeline import build, check
from digest.site.records import BuildOptions, Plan
from tests.tools import chromium_browser, digest_program, serve_directory

REPO_ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2020, 1, 1, tzinfo=UTC)
BASE_URL = "https://digest.test/"

DEFAULT_CONFIG: dict[str, Any] = {
    "title": "Test Digest",
    "description": "A digest for tests.",
    "base_url": BASE_URL,
    "timezone": "America/New_York",
    "default_disclaimer": "standard",
    "paginate": 10,
    "search": False,  # Pagefind costs a subprocess per build; tests/test_search.py turns it on
    "taxonomies": {"tags": "Topics", "regions": "Regions"},
    "disclaimers": {
        "standard": "Standard disclaimer: *fair use* applies.",
        "translation": "Translation disclaimer: this is our own translation.",
        "opinion": "Opinion disclaimer: the author's own views.",
    },
}

DEFAULT_ARTICLE: dict[str, Any] = {
    "title": "An article",
    "date": "2016-11-09",
    "source": {"name": "Example Times", "url": "https://times.example/story"},
}


class _Drop:
    def __repr__(self) -> str:
        return "DROP"


DROP = _Drop()  # a front-matter or config value meaning "leave this key out"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: takes more than ~30 s (wheel install into a fresh venv)")


@pytest.fixture(autouse=True)
def _private_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the real user's config or cache folders."""
    base = tmp_path_factory.mktemp("xdg")
    for name in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME"):
        folder = base / name.lower()
        folder.mkdir()
        monkeypatch.setenv(name, str(folder))


# ---------------------------------------------------------------- writing files


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        return f'"{escaped}"'
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {value!r} as TOML")


def toml_key(key: str) -> str:
    return key if key.replace("-", "").replace("_", "").isalnum() and key.isascii() else toml_value(key)


def to_toml(data: Mapping[str, Any]) -> str:
    """A minimal TOML writer: scalars first, then [tables] and [sources."Name"] sub-tables."""
    lines: list[str] = []
    tables: list[tuple[str, Mapping[str, Any]]] = []
    for key, value in data.items():
        if value is DROP:
            continue
        if isinstance(value, Mapping):
            tables.append((toml_key(key), value))
        else:
            lines.append(f"{toml_key(key)} = {toml_value(value)}")
    for name, table in tables:
        nested = [(k, v) for k, v in table.items() if isinstance(v, Mapping)]
        lines += ["", f"[{name}]"]
        lines += [f"{toml_key(k)} = {toml_value(v)}" for k, v in table.items()
                  if not isinstance(v, Mapping) and v is not DROP]
        for sub, subtable in nested:
            lines += ["", f"[{name}.{toml_key(sub)}]"]
            lines += [f"{toml_key(k)} = {toml_value(v)}" for k, v in subtable.items() if v is not DROP]
    return "\n".join(lines) + "\n"


def merged(base: Mapping[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in overrides.items():
        if value is DROP:
            out.pop(key, None)
        else:
            out[key] = value
    return out


def front_matter_text(front_matter: Mapping[str, Any]) -> str:
    return yaml.safe_dump(dict(front_matter), sort_keys=False, allow_unicode=True, width=1000)


# ---------------------------------------------------------------- reading HTML


@dataclass
class Node:
    tag: str
    attrs: dict[str, str | None]
    children: list[Node | str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """Visible text, whitespace collapsed."""
        parts: list[str] = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag in BLOCK:
                parts.append(" " + child.text + " ")
            else:
                parts.append(child.text)
        return " ".join("".join(parts).split())

    @property
    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()

    def get(self, name: str) -> str | None:
        return self.attrs.get(name)

    def iter(self) -> Iterator[Node]:
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> list[Node]:
        """Descendants matching a tag, a class and exact attribute values (``rel_`` for ``rel``)."""
        wanted = {k.rstrip("_").replace("_", "-"): v for k, v in attrs.items()}
        return [n for n in self.iter()
                if (tag is None or n.tag == tag) and (cls is None or cls in n.classes)
                and all(n.attrs.get(k) == v for k, v in wanted.items())]

    def find(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> Node:
        found = self.find_all(tag, cls, **attrs)
        assert found, f"no <{tag or '*'}> class={cls!r} {attrs} found"
        return found[0]

    def has(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> bool:
        return bool(self.find_all(tag, cls, **attrs))

    def links(self) -> dict[str, str]:
        """Text → href of every <a> below this node."""
        return {a.text: a.get("href") or "" for a in self.find_all("a")}


BLOCK = frozenset({"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
                   "br", "section", "nav", "header", "footer", "article", "aside", "main",
                   "blockquote", "table", "tr", "td", "th", "pre", "hr"})
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                  "source", "track", "wbr"})


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, dict(attrs))
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


class HtmlPage(Node):
    """A parsed page; ``source`` keeps the raw text for escaping checks."""

    source: str

    @classmethod
    def parse(cls, source: str) -> HtmlPage:
        builder = _TreeBuilder()
        builder.feed(source)
        builder.close()
        page = cls("#document", {}, builder.root.children)
        page.source = source
        return page

    @property
    def main(self) -> Node:
        return self.find("main")

    @property
    def title(self) -> str:
        return self.find("title").text

    @property
    def h1(self) -> str:
        return self.find("h1").text


# ---------------------------------------------------------------- the site helper


def tree_digest(folder: Path) -> dict[str, str]:
    """Relative path → sha256 of every file (and '/' for every folder) below folder."""
    out: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        out[rel] = "/" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
    return out


class Site:
    """A site folder under tmp_path with helpers to write, build and read it."""

    def __init__(self, root: Path, now: datetime = NOW, output: Path | None = None) -> None:
        self.root = root
        self.output = output or root / "public"
        self.now = now
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / "content").mkdir(exist_ok=True)

    # -- writing

    def write_config(self, raw: str | None = None, **overrides: Any) -> Path:
        """site.toml: raw text as given, else DEFAULT_CONFIG with overrides (DROP removes a key)."""
        text = raw if raw is not None else to_toml(merged(DEFAULT_CONFIG, overrides))
        return self.write("site.toml", text)

    def write(self, relpath: str, data: str | bytes) -> Path:
        path = self.root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8", newline="")
        else:
            path.write_bytes(data)
        return path

    def article(self, relpath: str, front_matter: Mapping[str, Any] | str | None = None,
                body: str = "Body text of the article.\n", *, defaults: bool = True) -> Path:
        """An article file; relpath is below content/ unless it starts with 'content/'.

        A mapping is merged over DEFAULT_ARTICLE (unless defaults=False) and
        written as YAML; a string is written as the front matter verbatim.
        """
        if not relpath.startswith("content/"):
            relpath = f"content/{relpath}"
        if isinstance(front_matter, str):
            fm = front_matter if front_matter.endswith("\n") else front_matter + "\n"
        else:
            data = merged(DEFAULT_ARTICLE if defaults else {}, front_matter or {})
            fm = front_matter_text(data)
        return self.write(relpath, f"---\n{fm}---\n{body}")

    def gone(self, *urls: str) -> None:
        """List URLs under `gone` in the URL registry, as an editor does before deleting an article."""
        path = self.root / "content/.urls.toml"
        text = path.read_text(encoding="utf-8")
        line = next(line for line in text.splitlines() if line.startswith("gone = ["))
        listed = [u for u in line.removeprefix("gone = [").removesuffix("]").split(", ") if u]
        path.write_text(text.replace(line, "gone = [" + ", ".join([*listed, *(f'"{u}"' for u in urls)]) + "]"),
                        encoding="utf-8")

    # -- building

    def options(self, **options: Any) -> BuildOptions:
        options.setdefault("now", self.now)
        return BuildOptions(**options)

    def build(self, output: Path | None = None, **options: Any) -> Path:
        """Build through the public API; BuildFailed propagates."""
        output = output or self.output
        build(self.root, output, self.options(**options))
        return output

    def build_errors(self, **options: Any) -> list[str]:
        """Build that must fail; the str() of each error."""
        with pytest.raises(BuildFailed) as info:
            self.build(**options)
        return [str(e) for e in info.value.errors]

    def check(self, **options: Any) -> Plan:
        return check(self.root, self.options(**options))

    def cli(self, *args: str) -> Ran:
        """`digest ARGS` as an editor runs it: the installed program, in the site folder, no
        --site (wall-clock time, not NOW)."""
        return Ran.of(run_digest(*args, cwd=self.root))

    # -- reading the output

    def path(self, url: str, output: Path | None = None) -> Path:
        rel = url.lstrip("/")
        if rel == "" or rel.endswith("/"):
            rel += "index.html"
        return (output or self.output) / rel

    def exists(self, url: str) -> bool:
        return self.path(url).is_file()

    def read(self, url: str, output: Path | None = None) -> str:
        path = self.path(url, output)
        assert path.is_file(), f"{url} was not built ({path} missing)"
        return path.read_text(encoding="utf-8")

    def page(self, url: str) -> HtmlPage:
        return HtmlPage.parse(self.read(url))

    def urls(self) -> set[str]:
        """Every built page as a URL ('/2016/11/09/x/', '/feed.xml')."""
        out = set()
        for path in self.output.rglob("*"):
            if path.is_file():
                rel = path.relative_to(self.output).as_posix()
                out.add("/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel))
        return out

    def tree(self) -> dict[str, str]:
        return tree_digest(self.output)


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., Site]:
    """Factory: make_site(name='site', config=True, **config_overrides) → Site.

    config=False leaves site.toml unwritten; a raw string is written verbatim.
    """
    def make(name: str = "site", config: bool | str = True, **overrides: Any) -> Site:
        site = Site(tmp_path / name)
        if isinstance(config, str):
            site.write_config(config)
        elif config:
            site.write_config(**overrides)
        return site
    return make


@pytest.fixture
def site(make_site: Callable[..., Site]) -> Site:
    """A site with the default config and no articles."""
    return make_site()


# ---------------------------------------------------------------- subprocess


def run_digest(*args: str, cwd: Path, executable: Path | None = None,
               timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run the installed `digest` program (or another `executable`) in `cwd`, as a shell would."""
    command = [str(executable or digest_program())]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    return subprocess.run([*command, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env=env)


@dataclass(frozen=True)
class Ran:
    """What a `digest` run printed: stdout, stderr, both (`output`) and its exit code."""

    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    @classmethod
    def of(cls, done: subprocess.CompletedProcess[str]) -> Ran:
        return cls(done.returncode, done.stdout, done.stderr)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium through Playwright, one per test module that asks for it."""
    yield from chromium_browser()


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    """A module's built site folder (its own module-scoped `site` fixture) over http on 127.0.0.1."""
    with serve_directory(site) as url:
        yield url
