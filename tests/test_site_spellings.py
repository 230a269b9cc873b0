"""Every command, run as people run it, with every way of naming the site and the output.

The installed `digest` program on a site made by `digest init` (its default site.toml,
search on), started from the site folder with no --site, with `--site .`, from a parent
(`--site sub/x`), from a sibling (`--site ../x`) and with a trailing slash; outputs given
as relative paths. What each command promises must hold for every spelling: the build
lands where the editor asked, `new` and `import` write into the site's content/ and print
paths the editor can open from where they stand, and the preview rebuilds on a save.
"""
from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.test_serve import Server
from tests.tools import digest_program


@dataclass(frozen=True)
class Spelling:
    """Where the editor stands (below the work folder) and the --site they type."""

    name: str
    cwd: str
    site_args: tuple[str, ...]


SPELLINGS = [
    Spelling("in the site, no --site", "sub/x", ()),
    Spelling("--site .", "sub/x", ("--site", ".")),
    Spelling("--site sub/x", ".", ("--site", "sub/x")),
    Spelling("--site ./sub/x/", ".", ("--site", "./sub/x/")),
    Spelling("--site ../x", "sub/here", ("--site", "../x")),
    Spelling("--site .. from content/", "sub/x/content", ("--site", "..")),
]
WELCOME = "/2024/01/15/welcome-to-your-digest/"  # the article `digest init` writes
CLIPPING = """\
# Harbour vote fails on turnout

By Liis Tamm

November 21, 2016

VALLASAARE, Estonia — The harbour plan won the vote and lost the referendum: too few voters took part.

Only 46 percent of the town's eligible voters turned out, short of the half needed.

Source: [The Baltic Ledger](https://balticledger.example/2016/11/21/vallasaare/)
"""


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site as `digest init` makes it, under work/sub/x; tests copy it."""
    work = tmp_path_factory.mktemp("init")
    result = subprocess.run([str(digest_program()), "init", "sub/x"], cwd=work, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return work


@pytest.fixture
def work(made: Path, tmp_path: Path) -> Path:
    import shutil

    shutil.copytree(made, tmp_path / "work")
    (tmp_path / "work" / "sub" / "here").mkdir()
    return tmp_path / "work"


def run(work: Path, spelling: Spelling, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(digest_program()), *args, *spelling.site_args], cwd=work / spelling.cwd,
                          capture_output=True, text=True, timeout=180)


def site_of(work: Path) -> Path:
    return work / "sub" / "x"


@pytest.mark.parametrize("spelling", SPELLINGS, ids=lambda s: s.name)
def test_build_into_the_default_output(work, spelling):
    result = run(work, spelling, "build")
    assert result.returncode == 0, result.stderr
    assert (site_of(work) / "public" / "index.html").is_file()
    assert (site_of(work) / "public" / "pagefind" / "pagefind.js").is_file()  # search on, as init writes it
    again = run(work, spelling, "build")  # the incremental rebuild takes the folder it made
    assert again.returncode == 0, again.stderr
    printed = result.stdout.strip().rsplit("→ ", 1)[1]
    assert (work / spelling.cwd / printed / "index.html").is_file(), f"printed {printed!r}"


@pytest.mark.parametrize("spelling", SPELLINGS, ids=lambda s: s.name)
@pytest.mark.parametrize("output", ["out", "../out", "./out/"])
def test_build_into_a_relative_output(work, spelling, output):
    """A relative --output is relative to where the editor stands, as in every shell tool."""
    result = run(work, spelling, "build", "--output", output)
    target = (work / spelling.cwd / output).resolve()
    if target.is_relative_to(site_of(work).resolve() / "content"):  # `-o out` while in content/
        assert result.returncode == 1 and "the output is inside the site's content/" in result.stderr
        assert not target.exists()
        return
    assert result.returncode == 0, result.stderr
    assert (target / "index.html").is_file()
    assert not (site_of(work) / "public").exists()
    assert run(work, spelling, "build", "--output", output).returncode == 0


@pytest.mark.parametrize("spelling", SPELLINGS, ids=lambda s: s.name)
def test_check(work, spelling):
    result = run(work, spelling, "check")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK: 1 article")


@pytest.mark.parametrize("spelling", SPELLINGS, ids=lambda s: s.name)
def test_errors_name_files_the_editor_can_open_from_where_they_stand(work, spelling):
    broken = site_of(work) / "content" / "broken.md"
    broken.write_text("---\ntitle: Broken\ndate: 2016-13-01\noriginal: true\n---\nBody\n")
    for command in ("build", "check"):
        result = run(work, spelling, command)
        assert result.returncode == 1
        (line,) = [ln for ln in result.stderr.splitlines() if ": date: " in ln]
        shown = line.split(":", 1)[0]
        assert (work / spelling.cwd / shown).resolve() == broken.resolve(), line
        assert line.startswith(f"{shown}:3: date: invalid date '2016-13-01'")


@pytest.mark.parametrize("spelling", SPELLINGS, ids=lambda s: s.name)
def test_new_writes_into_the_sites_content(work, spelling):
    result = run(work, spelling, "new", "Border towns watch the vote", "--source", "Example Times",
                 "--url", "https://times.example/b")
    assert result.returncode == 0, result.stderr
    written = (work / spelling.cwd / result.stdout.strip()).resolve()
    assert written.is_file() and written.is_relative_to(site_of(work).resolve() / "content")
    assert written.name == "border-towns-watch-the-vote.md"


@pytest.mark.parametrize("spelling", SPELLINGS, ids=lambda s: s.name)
def test_import_a_relative_clipping(work, spelling):
    (work / spelling.cwd / "clip.md").write_text(CLIPPING)
    result = run(work, spelling, "import", "clip.md")
    assert result.returncode == 0, result.stdout + result.stderr
    (line,) = [ln for ln in result.stdout.splitlines() if ln.startswith("clip.md → ")]
    shown = line.split(" → ", 1)[1].split(": ", 1)[0]
    written = (work / spelling.cwd / shown).resolve()
    assert written.is_file(), line
    assert written.is_relative_to(site_of(work).resolve() / "content")
    assert "Harbour vote fails on turnout" in written.read_text()


@pytest.fixture
def served(work: Path, request: pytest.FixtureRequest) -> Iterator[Server]:
    spelling: Spelling = request.param
    server = Server(site_of(work), *spelling.site_args, cwd=work / spelling.cwd)
    yield server
    server.stop()


@pytest.mark.parametrize("served", SPELLINGS, ids=lambda s: s.name, indirect=True)
def test_serve_rebuilds_on_a_save(work, served):
    first = served.wait_build(1)["build"]
    status, page = served.get(WELCOME)
    assert status == 200 and b"zebra-17" not in page
    article = site_of(work) / "content" / "welcome.md"
    head, sep, body = article.read_text().partition("\n---\n")
    article.write_text(f"{head}{sep}Saved sentence zebra-17.\n\n{body}")
    served.wait_build(first + 1)
    deadline = time.monotonic() + 10
    while b"zebra-17" not in served.get(WELCOME)[1]:
        if time.monotonic() > deadline:
            raise AssertionError("the saved sentence never reached the page:\n" + "\n".join(served.lines))
        time.sleep(0.1)
