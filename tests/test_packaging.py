"""Packaging: the installed `digest` command, `digest init`, and the wheel (contents and install)."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import REPO_ROOT, HtmlPage, run_digest

VENV_BIN = Path(sys.executable).parent
DIGEST = VENV_BIN / "digest"


def clean_env(tmp: Path) -> dict[str, str]:
    """The environment without this venv or Python overrides, with pip quiet and caches in tmp."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("PYTHON") and k != "VIRTUAL_ENV"}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep)
                                  if Path(p).resolve() != VENV_BIN.resolve())
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env["PIP_NO_INPUT"] = "1"
    return env


def check_starter_build(folder: Path, digest: Path, env: dict[str, str] | None = None) -> None:
    """`digest init x && cd x && digest build` in folder, then look at the result."""
    init = subprocess.run([str(digest), "init", "x"], cwd=folder, capture_output=True, text=True,
                          timeout=120, env=env)
    assert init.returncode == 0, init.stderr
    assert (folder / "x" / "site.toml").is_file()
    build = subprocess.run([str(digest), "build"], cwd=folder / "x", capture_output=True, text=True,
                           timeout=120, env=env)
    assert build.returncode == 0, build.stderr
    assert re.match(r"Built 1 articles? into", build.stdout), build.stdout
    public = folder / "x" / "public"
    home = HtmlPage.parse((public / "index.html").read_text())
    assert home.title == "My News Digest"
    article = home.find(cls="item-title").find("a").get("href")
    assert HtmlPage.parse((public / article.lstrip("/") / "index.html").read_text()).h1 == \
        "Welcome to your digest"
    css = (public / "static" / "style.css").read_bytes()
    assert css == (REPO_ROOT / "theme" / "static" / "style.css").read_bytes()


def test_installed_cli_init_then_build(tmp_path):
    assert DIGEST.is_file(), "the digest console script is not installed in this venv"
    check_starter_build(tmp_path, DIGEST)


def test_installed_build_ends_quickly_with_everything_said_and_saved(tmp_path):
    """After a build the program skips the interpreter's tidying (cli.entry): what it printed must
    still reach a pipe whole, its cache must be saved, and failures keep their exit status."""
    init = subprocess.run([str(DIGEST), "init", "x"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert init.returncode == 0, init.stderr
    site = tmp_path / "x"
    first = subprocess.run([str(DIGEST), "build", "--profile"], cwd=site, capture_output=True, text=True,
                           timeout=120)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("Built 1 article") and first.stdout.rstrip().endswith("deleted"), first.stdout
    again = subprocess.run([str(DIGEST), "build", "--profile"], cwd=site, capture_output=True, text=True,
                           timeout=120)
    assert again.returncode == 0 and "0 pages rendered, 0 files written" in again.stdout, again.stdout
    (site / "content" / "broken.md").write_text("---\ntitle: Broken\ndate: nope\n---\nBody\n")
    failed = subprocess.run([str(DIGEST), "build"], cwd=site, capture_output=True, text=True, timeout=120)
    assert failed.returncode == 1 and "broken.md:3" in failed.stderr, failed.stderr
    module = subprocess.run([sys.executable, "-m", "digest", "build", "--site", str(site)], capture_output=True,
                            text=True, timeout=120)
    assert module.returncode == 1 and "broken.md:3" in module.stderr, module.stderr


def test_init_refuses_an_existing_site(tmp_path):
    first = run_digest("init", "x", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    (tmp_path / "x" / "site.toml").write_text("# mine\n")
    again = run_digest("init", "x", cwd=tmp_path)
    assert again.returncode != 0
    assert "already holds a site" in again.stderr
    assert (tmp_path / "x" / "site.toml").read_text() == "# mine\n"


def test_init_into_an_existing_empty_folder(tmp_path):
    (tmp_path / "x").mkdir()
    assert run_digest("init", "x", cwd=tmp_path).returncode == 0
    assert (tmp_path / "x" / "content" / "welcome.md").is_file()


def test_starter_site_checks_clean(tmp_path):
    assert run_digest("init", "x", cwd=tmp_path).returncode == 0
    result = run_digest("check", "--site", "x", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert re.match(r"OK: 1 articles?\b", result.stdout), result.stdout


def test_version(tmp_path):
    from digest import __version__
    result = run_digest("--version", cwd=tmp_path)
    assert result.returncode == 0
    assert __version__ in result.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out),
                             str(REPO_ROOT)], capture_output=True, text=True, timeout=300,
                            env=clean_env(out))
    assert result.returncode == 0, result.stderr
    [path] = out.glob("digest-*.whl")
    return path


def test_wheel_contents(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in ("digest/__init__.py", "digest/cli.py", "digest/_theme/templates/base.html",
                     "digest/_theme/templates/partials/item.html", "digest/_theme/static/style.css",
                     "digest/starter/site.toml", "digest/starter/content/welcome.md"):
        assert required in names, required
    assert not any(n.startswith(("tests/", "content/", "theme/")) for n in names)
    assert not any("__pycache__" in n for n in names)
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "digest = digest.cli:entry" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_wheel_installs_into_a_fresh_venv(wheel, tmp_path):
    """The wheel on its own (dependencies from the package index) works outside the repository."""
    env = clean_env(tmp_path)
    env["XDG_CACHE_HOME"] = os.environ["XDG_CACHE_HOME"]
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120, env=env)
    install = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)],
                             capture_output=True, text=True, timeout=600, env=env)
    assert install.returncode == 0, install.stderr
    where = subprocess.run([str(venv / "bin" / "python"), "-c",
                            "import digest.render.theme as t; print(t.default_theme_dir())"],
                           capture_output=True, text=True, cwd=tmp_path, env=env, timeout=60)
    assert where.returncode == 0, where.stderr
    theme_dir = Path(where.stdout.strip())
    assert theme_dir.name == "_theme" and theme_dir.is_relative_to(venv)
    work = tmp_path / "work"
    work.mkdir()
    check_starter_build(work, venv / "bin" / "digest", env)


def _name(requirement: str) -> str:
    return re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_constraints_pin_every_dependency_pyproject_names():
    """scripts/test installs exact versions from constraints.txt; a dependency added to
    pyproject.toml but not pinned there would float, and CI could break on its own."""
    import tomllib

    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_name(r) for r in project["dependencies"]}
    wanted |= {_name(r) for extra in project["optional-dependencies"].values() for r in extra}
    pinned = {}
    for line in (REPO_ROOT / "constraints.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"constraints.txt: {line!r} is not an exact pin"
            pinned[_name(name)] = version
    assert wanted <= set(pinned), f"not pinned in constraints.txt: {sorted(wanted - set(pinned))}"
    assert "pagefind-bin" in pinned  # the binary that pagefind[bin] pulls in is pinned as well
