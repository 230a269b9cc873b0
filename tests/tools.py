"""Helpers for tests that drive real external clients.

The tools (Debian's chromium, jing, xmllint, the Nu HTML Checker and axe-core
from npm) are installed by ``scripts/test``. Each ``*_path()`` helper returns
the tool's path or, when it is missing, ends the test: ``pytest.fail`` when
the ``CI`` environment variable is ``true`` (so a broken CI setup never looks
green through silent skips), ``pytest.skip`` with an install hint otherwise.

The ``find_*`` functions do the same lookup without pytest, returning ``None``
when the tool is missing (for scripts such as ``scripts/screenshots.py``).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
TOOLS_DIR = REPO_ROOT / ".tools" / "node_modules"
SCHEMAS_DIR = Path(__file__).resolve().parent / "schemas"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

SETUP_HINT = "run ./scripts/test, which installs it"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"true", "1"}


def missing(tool: str, hint: str) -> None:
    """Fail (in CI) or skip (locally) the current test: ``tool`` is missing."""
    message = f"{tool} not found: {hint}"
    if in_ci():
        pytest.fail(f"{message} (CI=true: required tools must be installed)", pytrace=False)
    pytest.skip(message)


# --- lookups without pytest ---------------------------------------------------


def find_chromium() -> str | None:
    return CHROMIUM if os.access(CHROMIUM, os.X_OK) else None


def find_java() -> str | None:
    return shutil.which("java")


def find_vnu_jar() -> Path | None:
    jar = os.environ.get("VNU_JAR") or TOOLS_DIR / "vnu-jar" / "build" / "dist" / "vnu.jar"
    jar = Path(jar)
    return jar if jar.is_file() else None


def find_jing() -> str | None:
    return shutil.which("jing")


def find_xmllint() -> str | None:
    return shutil.which("xmllint")


def find_linkchecker() -> str | None:
    """LinkChecker from the venv (the ``test`` extra), else from the system."""
    beside = Path(sys.executable).with_name("linkchecker")
    return str(beside) if beside.is_file() else shutil.which("linkchecker")


def find_axe_js() -> Path | None:
    axe = TOOLS_DIR / "axe-core" / "axe.min.js"
    return axe if axe.is_file() else None


# --- lookups for tests: fail in CI, skip elsewhere -----------------------------


def chromium_path() -> str:
    path = find_chromium()
    if path is None:
        missing("chromium", f"{SETUP_HINT} (apt-get install chromium)")
    return path


def java_path() -> str:
    path = find_java()
    if path is None:
        missing("java", f"{SETUP_HINT} (apt-get install default-jre-headless)")
    return path


def vnu_jar() -> Path:
    """Path of the Nu HTML Checker's vnu.jar (needs java too)."""
    jar = find_vnu_jar()
    if jar is None:
        missing(
            "vnu.jar (Nu HTML Checker)",
            f"{SETUP_HINT} (npm install --prefix .tools vnu-jar), or set VNU_JAR",
        )
    java_path()
    return jar


def jing_path() -> str:
    path = find_jing()
    if path is None:
        missing("jing (RELAX NG validator)", f"{SETUP_HINT} (apt-get install jing)")
    return path


def xmllint_path() -> str:
    path = find_xmllint()
    if path is None:
        missing("xmllint", f"{SETUP_HINT} (apt-get install libxml2-utils)")
    return path


def linkchecker_path() -> str:
    path = find_linkchecker()
    if path is None:
        missing("linkchecker", f"{SETUP_HINT} (pip install LinkChecker, in the test extra)")
    return path


def axe_js() -> Path:
    path = find_axe_js()
    if path is None:
        missing("axe-core", f"{SETUP_HINT} (npm install --prefix .tools axe-core)")
    return path


# --- the checkers, run ------------------------------------------------------------

AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice")


def nu_errors(pages: list[Path]) -> tuple[list[dict], subprocess.CompletedProcess[str]]:
    """The Nu HTML Checker's errors on these pages, one JVM for all (its JSON report goes to
    stderr), and the run itself; a run without a report fails the test."""
    result = subprocess.run([java_path(), "-jar", str(vnu_jar()), "--errors-only", "--format", "json",
                             *map(str, pages)], capture_output=True, text=True, timeout=600)
    try:
        messages = json.loads(result.stderr[result.stderr.find("{"):])["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"vnu exited {result.returncode} without a JSON report:\n{result.stderr}")
    return [m for m in messages if m.get("type") in ("error", "non-document-error")], result


def nu_page(message: dict) -> Path:
    """The file a Nu message is about."""
    return Path(unquote(urlsplit(message.get("url", "")).path))


def axe_violations(page) -> list[dict]:
    """axe-core's violations (AXE_TAGS) on a loaded Playwright page."""
    page.add_script_tag(path=str(axe_js()))
    result = page.evaluate("async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags},"
                           " resultTypes: ['violations']})", list(AXE_TAGS))
    return result["violations"]


# --- browser --------------------------------------------------------------------


def launch_chromium(playwright, **kwargs):
    """Launch Debian's chromium through Playwright (never a downloaded browser)."""
    if find_chromium() is None:
        chromium_path()  # fails or skips with the install hint
    return playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=list(CHROMIUM_ARGS),
        **kwargs,
    )


# --- static http server -----------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extra_headers: dict[str, str] = {}

    def log_message(self, format, *args):
        pass

    def end_headers(self):
        for name, value in self.extra_headers.items():
            self.send_header(name, value)
        super().end_headers()


@contextlib.contextmanager
def serve_directory(path: str | os.PathLike, headers: dict[str, str] | None = None) -> Iterator[str]:
    """Serve ``path`` over http on 127.0.0.1 (free port) in a background thread.

    ``headers`` are added to every response. Yields the base URL, ending in ``/``.
    """
    handler_class = type("_Handler", (_QuietHandler,), {"extra_headers": dict(headers or {})})
    handler = functools.partial(handler_class, directory=str(path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="serve_directory", daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host}:{port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


# --- building the example site -------------------------------------------------------


def digest_program() -> Path:
    """The `digest` program installed beside the interpreter running the tests (the venv's)."""
    program = Path(sys.executable).parent / "digest"
    if not program.is_file():
        missing("digest", "pip install -e . into this interpreter's venv (./scripts/test does)")
    return program


def copy_example(folder: str | os.PathLike) -> Path:
    """The repository's example site (site.toml, content/, theme/) copied into ``folder/site``."""
    site = Path(folder) / "site"
    site.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO_ROOT / "site.toml", site / "site.toml")
    for part in ("content", "theme"):
        shutil.copytree(REPO_ROOT / part, site / part)
    return site


def build_example(tmp_path: str | os.PathLike, *extra_args: str) -> Path:
    """Build a copy of the example site as an editor does (`cd site && digest build`) and
    return its output folder, ``tmp_path/site/public``."""
    site = copy_example(tmp_path)
    output = site / "public"
    cmd = [str(digest_program()), "build", *extra_args]
    result = subprocess.run(cmd, cwd=site, capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        print("$ " + " ".join(cmd))
        print("--- stdout ---\n" + result.stdout)
        print("--- stderr ---\n" + result.stderr, file=sys.stderr)
    assert result.returncode == 0, (
        f"digest build exited {result.returncode}:\n{result.stderr or result.stdout}"
    )
    return output


def chromium_browser():
    """Generator for a module-scoped fixture: Debian's chromium through Playwright, closed after."""
    chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            yield browser
        finally:
            browser.close()
