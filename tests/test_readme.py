"""The README's own commands, run literally from a fresh copy of the repository.

The quick-start blocks are read from README.md itself (not from a copy in this file), run
with bash exactly as written in a clone of the repository, and what they promise is
checked the way an editor would see it: the build's output exists, the preview answers,
and in real Chromium an open article page shows a saved edit. The preview is started the
way the README starts it, from the site folder and without --site. Slow (a fresh venv and
pip install per block).
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.tools import REPO_ROOT, chromium_browser

pytestmark = pytest.mark.slow
README = REPO_ROOT / "README.md"
DEFAULT_PORT = 8000


def quick_start_blocks() -> list[str]:
    """The ```sh blocks of the README's "Quick start" section, in order."""
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## Quick start", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", section, re.S)]


def block_with(*words: str) -> str:
    found = [b for b in quick_start_blocks() if all(w in b for w in words)]
    assert len(found) == 1, f"README's Quick start has {len(found)} sh blocks with {words}: {quick_start_blocks()}"
    return found[0]


def clone(dest: Path) -> Path:
    """A clone of the repository with the working tree's changes laid over it (so the test
    runs what is being changed; on CI's clean clone the two are the same)."""
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(REPO_ROOT), str(dest)], check=True)
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=REPO_ROOT, check=True, capture_output=True).stdout.decode().split("\0")
    for rel in filter(None, listed):
        source, target = REPO_ROOT / rel, dest / rel
        if source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
        elif target.exists():
            target.unlink()  # deleted in the working tree
    return dest


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


class Running:
    """A README block running in bash (its last command, `digest serve`, never ends)."""

    def __init__(self, block: str, cwd: Path, env: dict[str, str]) -> None:
        self.lines: list[str] = []
        self.url = ""
        self.proc = subprocess.Popen(["bash", "-c", f"set -e\n{block}"], cwd=cwd, env=env, text=True,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
                                     preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        self.ready = threading.Event()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))
            match = re.search(r"Serving .* at (http://\S+/)", line)
            if match:
                self.url = match.group(1)
                self.ready.set()
        self.ready.set()

    def wait_serving(self, timeout: float) -> str:
        self.ready.wait(timeout)
        assert self.url, "the README's commands never started the preview:\n" + self.log()
        return self.url

    def log(self) -> str:
        return "\n".join(self.lines[-60:])

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)  # Ctrl-C, as in the terminal
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)


def user_env(home: Path, path_prefix: Path | None = None) -> dict[str, str]:
    """A new user's shell: their own HOME and caches, no Python variables of the test run;
    DIGEST_SERVE_PORT only when the README's port 8000 is taken on this machine."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "DIGEST_"))}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), XDG_CACHE_HOME=str(home / ".cache"))
    if path_prefix is not None:
        env["PATH"] = f"{path_prefix}:{env.get('PATH', '')}"
    if not port_is_free(DEFAULT_PORT):
        env["DIGEST_SERVE_PORT"] = "0"
    return env


browser = pytest.fixture(scope="module")(chromium_browser)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    folder = tmp_path / "home"
    folder.mkdir()
    return folder


def first_article_url(page, base: str) -> str:
    """The first article linked from the home page, as a reader would find it."""
    page.goto(base)
    href = page.locator(".item-title a[href*='/20'], a.item-title[href*='/20']").first.get_attribute("href")
    assert href, "no dated article link on the home page"
    return base.rstrip("/") + href if href.startswith("/") else href


def a_saved_edit_shows(browser, url: str, site: Path, marker: str) -> None:
    """Open the first article the home page links; save a new first paragraph into its file;
    the open page must show it by itself (the preview's reload)."""
    page = browser.new_page()
    address = first_article_url(page, url)
    page.goto(address)
    page.wait_for_function("() => !!document.querySelector('script[data-build]')")
    article = article_file_for(site, address)
    head, sep, body = article.read_text(encoding="utf-8").partition("\n---\n")
    article.write_text(f"{head}{sep}{marker}.\n\n{body}", encoding="utf-8")
    page.wait_for_selector(f"text={marker}", timeout=20_000)
    page.close()


def article_file_for(site: Path, url: str) -> Path:
    """The Markdown file behind an article URL (its slug is the file's title or slug)."""
    slug = url.rstrip("/").rsplit("/", 1)[1]
    for path in sorted((site / "content").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        if path.stem == slug or re.search(rf"^slug:\s*\"?{re.escape(slug)}\"?\s*$", text, re.M):
            return path
    from slugify import slugify

    for path in sorted((site / "content").rglob("*.md")):
        title = re.search(r'^title:\s*"?(.*?)"?\s*$', path.read_text(encoding="utf-8"), re.M)
        if title and slugify(title.group(1)) == slug:
            return path
    raise AssertionError(f"no article file for {url}")


def test_ci_runs_the_readme_test_command():
    command = block_with("scripts/test")
    assert command == "./scripts/test"
    ci = (REPO_ROOT / ".ci" / "run").read_text()
    assert re.search(r"^exec bash \./scripts/test \"\$@\"$", ci, re.M), ci


def test_quick_start_builds_and_previews_the_example(tmp_path, home, browser):
    block = block_with("digest build", "digest serve", ".venv")
    repo = clone(tmp_path / "digest")
    env = user_env(home)
    running = Running(block, repo, env)
    try:
        url = running.wait_serving(timeout=600)
        if "DIGEST_SERVE_PORT" not in env:
            assert url == f"http://127.0.0.1:{DEFAULT_PORT}/", url
        assert (repo / "public" / "index.html").is_file(), "digest build wrote no public/index.html"
        assert (repo / "public" / "pagefind" / "pagefind.js").is_file()
        a_saved_edit_shows(browser, url, repo, "Quick-start edit zebra-31")
    finally:
        running.stop()
    assert "Traceback" not in running.log(), running.log()


def test_a_site_of_your_own(tmp_path, home, browser):
    block = block_with("digest init")
    repo = clone(tmp_path / "digest")
    venv = tmp_path / "user-venv"  # the user's own Python environment, where `pip` installs
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    running = Running(block, repo, user_env(home, venv / "bin"))
    try:
        url = running.wait_serving(timeout=600)
        site = Path(re.search(r"digest init (\S+)", block).group(1).replace("~", str(home)))
        assert (site / "site.toml").is_file() and (site / "public" / "index.html").is_file()
        a_saved_edit_shows(browser, url, site, "Own-site edit zebra-32")
    finally:
        running.stop()
    assert "Traceback" not in running.log(), running.log()
