"""`digest serve` end to end: a real server process, real Chromium, real file edits."""
from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.tools import REPO_ROOT, digest_program, launch_chromium

ARTICLE = "content/2016/11/tpp-dead-on-arrival.md"
ARTICLE_URL = "/2016/11/10/tpp-dead-on-arrival/"


class Server:
    """A `digest serve` subprocess on a free port, its stderr collected line by line."""

    def __init__(self, site: Path, *args: str, cwd: Path | None = None) -> None:
        """`digest serve` as the README starts it: the installed program, in the site folder,
        no --site; `cwd` and `args` (e.g. --site) for the other spellings."""
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONFAULTHANDLER": "1"}  # SIGABRT: every thread's stack
        self.proc = subprocess.Popen(
            [str(digest_program()), "serve", "--port", "0", *args], cwd=cwd or site,
            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env,
            preexec_fn=_as_if_in_the_foreground)
        self.lines: list[str] = []
        self.url = ""
        ready = threading.Event()

        def pump() -> None:
            assert self.proc.stderr is not None
            for line in self.proc.stderr:
                self.lines.append(line.rstrip("\n"))
                match = re.search(r"at (http://\S+/)", line)
                if match:
                    self.url = match.group(1)
                    ready.set()

        threading.Thread(target=pump, daemon=True).start()
        if not ready.wait(30):
            self.proc.kill()
            raise AssertionError("server did not start:\n" + "\n".join(self.lines))

    def status(self) -> dict:
        with urllib.request.urlopen(self.url + "__digest__/status", timeout=10) as r:
            return json.load(r)

    def get(self, path: str) -> tuple[int, bytes]:
        host, port = self.url.split("//")[1].rstrip("/").split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=10)
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
        conn.close()
        return response.status, body

    def wait_build(self, number: int, timeout: float = 15) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status = self.status()
            if status["build"] >= number:
                return status
            time.sleep(0.05)
        raise AssertionError(f"no build {number}; log:\n" + "\n".join(self.lines))

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.send_signal(signal.SIGABRT)  # where it hangs goes to self.lines
                try:
                    self.proc.wait(5)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait(5)
                time.sleep(0.2)
                return -1
        return self.proc.returncode


def _as_if_in_the_foreground() -> None:
    """Ctrl-C as a terminal sends it: a job a shell starts in the background (`./scripts/test &`)
    has SIGINT ignored, its children inherit that, and Python then never raises
    KeyboardInterrupt. An editor's `digest serve` runs in the foreground."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A copy of the example site with a theme stylesheet of its own."""
    root = tmp_path / "site"
    root.mkdir()
    shutil.copy(REPO_ROOT / "site.toml", root / "site.toml")
    shutil.copytree(REPO_ROOT / "content", root / "content")
    (root / "theme" / "static").mkdir(parents=True)
    shutil.copy(REPO_ROOT / "theme" / "static" / "style.css", root / "theme" / "static" / "style.css")
    return root


@pytest.fixture
def server(site: Path) -> Iterator[Server]:
    srv = Server(site)
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch_chromium(p)
        yield b
        b.close()


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_edit_reloads_open_page_with_new_text(site, server, browser):
    page = browser.new_page()
    page.goto(server.url + ARTICLE_URL.lstrip("/"))
    page.wait_for_function("() => !!document.querySelector('script[data-build]')")
    replace_in(site / ARTICLE, "\n\n", "\n\nFreshly edited paragraph zebra-42.\n\n")
    page.wait_for_selector("text=Freshly edited paragraph zebra-42.", timeout=10_000)
    page.close()


def test_edition_file_saves_reload_the_edition_and_its_errors_show(site, server, browser):
    """An edition file is an input like an article: a save re-renders the day's edition, a
    wrong slug shows the overlay naming the file and line, deleting the file brings back
    the default sections."""
    page = browser.new_page()
    page.goto(server.url + "2016/11/09/")
    page.wait_for_function("() => !!document.querySelector('script[data-build]')")
    edition = site / "content" / "editions" / "2016-11-09.md"
    replace_in(edition, "The morning after the US vote", "Edited edition title quokka-7")
    page.wait_for_selector("text=Edited edition title quokka-7", timeout=10_000)
    replace_in(edition, "      - moscow-readiness-to-talk", "      - no-such-story")
    overlay = page.wait_for_selector("#digest-error-overlay", timeout=10_000)
    assert re.search(r"content/editions/2016-11-09\.md:\d+", overlay.inner_text())
    edition.unlink()
    page.wait_for_selector("#digest-error-overlay", state="detached", timeout=10_000)
    page.wait_for_function("() => !document.body.textContent.includes('quokka-7')", timeout=10_000)
    page.close()


def test_scroll_position_survives_reload(site, server, browser):
    page = browser.new_page(viewport={"width": 800, "height": 400})
    page.goto(server.url + ARTICLE_URL.lstrip("/"))
    page.evaluate("window.scrollTo(0, 600)")
    before = page.evaluate("window.scrollY")
    assert before > 100
    replace_in(site / ARTICLE, "\n\n", "\n\nScroll marker paragraph.\n\n")
    page.wait_for_selector("text=Scroll marker paragraph.", timeout=10_000)
    page.wait_for_function(f"() => Math.abs(window.scrollY - {before}) < 5", timeout=5_000)
    page.close()


def test_stylesheet_change_swaps_styles_without_reload(site, server, browser):
    page = browser.new_page()
    page.goto(server.url)
    page.evaluate("window.__notReloaded = 'yes'")
    css = site / "theme" / "static" / "style.css"
    css.write_text(css.read_text() + "\nbody { background-color: rgb(1, 2, 3) !important; }\n")
    page.wait_for_function(
        "() => getComputedStyle(document.body).backgroundColor === 'rgb(1, 2, 3)'", timeout=10_000)
    assert page.evaluate("window.__notReloaded") == "yes"
    page.close()


def test_broken_front_matter_shows_overlay_until_fixed(site, server, browser):
    page = browser.new_page()
    page.goto(server.url + ARTICLE_URL.lstrip("/"))
    article = site / ARTICLE
    good = article.read_text()
    article.write_text(good.replace("title:", "title: [unclosed <script>alert(1)</script>\nx:", 1))
    overlay = page.wait_for_selector("#digest-error-overlay", timeout=10_000)
    text = overlay.inner_text()
    assert re.search(r"content/2016/11/tpp-dead-on-arrival\.md:\d+", text), text
    assert "invalid YAML" in text
    assert page.evaluate("document.querySelectorAll('#digest-error-overlay script').length") == 0
    # Opaque: the page's own text must not show through the message.
    background = page.evaluate("getComputedStyle(document.getElementById('digest-error-overlay')).backgroundColor")
    assert background.startswith("rgb(") and page.evaluate(
        "getComputedStyle(document.getElementById('digest-error-overlay')).opacity") == "1", background
    assert any("tpp-dead-on-arrival.md" in line for line in server.lines)  # terminal shows it too
    # Other pages show the overlay as well while the build is broken.
    other = browser.new_page()
    other.goto(server.url)
    other.wait_for_selector("#digest-error-overlay", timeout=10_000)
    article.write_text(good)
    page.wait_for_selector("#digest-error-overlay", state="detached", timeout=10_000)
    other.wait_for_selector("#digest-error-overlay", state="detached", timeout=10_000)
    page.close()
    other.close()


def test_burst_of_saves_gives_one_rebuild(site, server):
    """40 saves in a burst give one rebuild, unless this writer itself stalled for longer than
    the quiet window (a loaded disk can hold one write for 100 ms and more): each such pause
    ends a burst, as an editor's pause would, and may give one rebuild more. A debouncer that
    rebuilt per save would give about 40."""
    from digest.preview.watch import QUIET

    start = server.wait_build(1)["build"]
    article = site / ARTICLE
    text = article.read_text()
    saved: list[float] = []
    for i in range(40):  # an editor's atomic saves: temp file, then rename over the article
        tmp = article.with_name(f".{article.name}.tmp{i}")
        tmp.write_text(text + f"\nSave number {i}.\n")
        os.replace(tmp, article)
        saved.append(time.monotonic())
        swap = article.with_name(f".{article.name}.swp")
        swap.write_text(f"swap {i}")  # vim swap file writes never count
    swap.unlink()
    stalls = sum(1 for a, b in zip(saved, saved[1:]) if b - a >= QUIET)
    server.wait_build(start + 1)
    time.sleep(1.0)
    assert start + 1 <= server.status()["build"] <= start + 1 + stalls, f"{stalls} stall(s) of the writer"
    status, body = server.get(ARTICLE_URL)
    assert status == 200 and b"Save number 39." in body


def test_swap_and_temp_files_alone_trigger_nothing(site, server):
    start = server.wait_build(1)["build"]
    folder = site / "content" / "2016" / "11"
    for name in (".draft.md.swp", "notes.md~", "4913", "#autosave.md#", "x.md___jb_tmp___"):
        (folder / name).write_text("---\ntitle: [broken\n---\n")
    time.sleep(1.0)
    assert server.status() == {"build": start, "errors": []}


TRAVERSALS = [
    "/../site.toml", "/..%2f..%2fetc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/%252e%252e/site.toml",
    "/..%5c..%5csite.toml", "//etc/passwd", "/%00index.html", "/%ff%fe", "/a%0d%0aSet-Cookie:x",
    "/static/../../site.toml", "/content/2016/11/tpp-dead-on-arrival.md", "/site.toml", "/.digest-output",
]


def test_path_traversal_and_sources_are_never_served(server):
    for path in TRAVERSALS:
        status, body = server.get(path)
        assert status in (400, 403, 404), (path, status)
        assert b"base_url" not in body and b"root:" not in body, path
    assert server.get("/")[0] == 200


def test_unknown_path_gets_theme_404_and_directories_redirect(server):
    status, body = server.get("/no/such/page/")
    assert status == 404 and b"Page not found" in body
    status, _ = server.get("/tags")
    assert status == 301
    status, body = server.get("/feed.xml")
    assert status == 200 and body.startswith(b"<?xml")


def test_drafts_and_scheduled_are_shown_and_marked(server):
    status, body = server.get("/")
    assert status == 200
    assert b"badge-draft" in body and b"badge-scheduled" in body


def test_twenty_open_tabs_do_not_block_requests(site, server, browser):
    context = browser.new_context()  # one browser profile: tabs share its connection pool
    pages = []
    for _ in range(20):
        page = context.new_page()
        page.goto(server.url + ARTICLE_URL.lstrip("/"))
        pages.append(page)
    for _ in range(5):
        status, _ = server.get("/2016/11/")
        assert status == 200
    replace_in(site / ARTICLE, "\n\n", "\n\nAll tabs see this.\n\n")
    for page in pages:  # every tab kept its reload channel and got the new text
        page.wait_for_selector("text=All tabs see this.", timeout=15_000)
    context.close()


def test_ctrl_c_stops_cleanly(site):
    srv = Server(site)
    assert srv.get("/")[0] == 200
    code = srv.stop()
    assert code == 0, "did not stop within 15 s of Ctrl-C:\n" + "\n".join(srv.lines)
    time.sleep(0.2)
    log = "\n".join(srv.lines)
    assert "Traceback" not in log and "Stopped." in log
    assert not list(site.parent.glob(".*staging*"))
    assert not (site / "public").exists()


def test_built_site_has_no_reload_script(site):
    subprocess.run([str(digest_program()), "build"], cwd=site, check=True, capture_output=True)
    out = site / "public"
    assert (out / "index.html").is_file()
    for page in out.rglob("*.html"):
        assert b"__digest__" not in page.read_bytes(), page


def test_checkout_of_hundreds_of_files_gives_one_rebuild(site, server):
    start = server.wait_build(1)["build"]
    folder = site / "content" / "bulk"
    folder.mkdir()
    template = (site / ARTICLE).read_text()
    for i in range(300):  # what a branch switch does: many files written back to back
        (folder / f"bulk-{i:03d}.md").write_text(
            template.replace("slug: tpp-dead-on-arrival", f"slug: bulk-{i:03d}", 1))
    status = server.wait_build(start + 1)
    time.sleep(1.0)
    status = server.status()
    assert status["build"] - start <= 2 and status["errors"] == []
    assert server.get("/2016/11/10/bulk-299/")[0] == 200


def test_host_header_allowlist(server):
    host, port = server.url.split("//")[1].rstrip("/").split(":")
    for name, expected in [("evil.example", 403), ("localhost", 200), ("127.0.0.1", 200), ("[::1]", 200)]:
        conn = http.client.HTTPConnection(host, int(port), timeout=10)
        conn.request("GET", "/", headers={"Host": f"{name}:{port}"})
        response = conn.getresponse()
        response.read()
        conn.close()
        assert response.status == expected, name
        assert response.getheader("Access-Control-Allow-Origin") is None


def test_content_types(server):
    for path, kind in [("/", "text/html"), ("/feed.xml", "application/atom+xml"),
                       ("/sitemap.xml", "application/xml"), ("/robots.txt", "text/plain"),
                       ("/static/style.css", "text/css")]:
        host, port = server.url.split("//")[1].rstrip("/").split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=10)
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        conn.close()
        assert response.status == 200 and response.getheader("Content-Type").startswith(kind), path


def test_static_symlink_out_of_the_theme_is_not_served(tmp_path, site):
    secret = tmp_path / "secret.txt"
    secret.write_text("SENTINEL-SECRET")
    (site / "theme" / "static" / "leak.txt").symlink_to(secret)
    srv = Server(site)
    try:
        status, body = srv.get("/static/leak.txt")
        assert status == 404 and b"SENTINEL-SECRET" not in body
        assert srv.get("/static/style.css")[0] == 200
    finally:
        srv.stop()


def test_a_theme_folder_made_after_the_start_is_used_and_watched(site):
    """The editor starts the preview, then makes theme/ to override a template: each save shows."""
    shutil.rmtree(site / "theme")
    srv = Server(site)
    try:
        first = srv.wait_build(1)["build"]
        template = (REPO_ROOT / "theme" / "templates" / "404.html").read_text()
        assert '<header class="page-header">' in template
        (site / "theme" / "templates").mkdir(parents=True)
        mine = site / "theme" / "templates" / "404.html"
        for _number, marker in enumerate(("Overridden-1", "Overridden-2"), 1):
            mine.write_text(template.replace('<header class="page-header">',
                                             f'<header class="page-header">{marker}', 1))
            deadline = time.monotonic() + 10
            while marker.encode() not in srv.get("/no-such-page/")[1]:
                assert time.monotonic() < deadline, f"{marker} never served:\n" + "\n".join(srv.lines)
                time.sleep(0.1)
        assert srv.status()["build"] > first
    finally:
        srv.stop()


def test_a_theme_named_later_in_site_toml_is_watched(site):
    srv = Server(site)
    try:
        srv.wait_build(1)
        other = site / "mytheme" / "templates"
        other.mkdir(parents=True)
        template = (REPO_ROOT / "theme" / "templates" / "404.html").read_text()
        (other / "404.html").write_text(template.replace('<header class="page-header">',
                                                         '<header class="page-header">Mine-1', 1))
        config = site / "site.toml"
        config.write_text(config.read_text().replace('related = 4', 'related = 4\ntheme = "mytheme"', 1))
        deadline = time.monotonic() + 10
        while b"Mine-1" not in srv.get("/no-such-page/")[1]:
            assert time.monotonic() < deadline, "\n".join(srv.lines)
            time.sleep(0.1)
        (other / "404.html").write_text(template.replace('<header class="page-header">',
                                                         '<header class="page-header">Mine-2', 1))
        while b"Mine-2" not in srv.get("/no-such-page/")[1]:
            assert time.monotonic() < deadline + 10, "\n".join(srv.lines)
            time.sleep(0.1)
    finally:
        srv.stop()
