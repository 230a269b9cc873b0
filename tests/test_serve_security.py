"""Hostile requests against `digest serve`: traversal, Host and Origin checks, redirects,
escaping of attacker-controlled text in overlays and error pages, and load."""
from __future__ import annotations

import base64
import concurrent.futures
import html.parser
import os
import re
import socket
import statistics
import time
from pathlib import Path

import pytest

from tests.test_serve import ARTICLE, ARTICLE_URL, Server, browser, server, site  # noqa: F401 - fixtures

SENTINEL = b"SENTINEL-7f3a9c-DO-NOT-SERVE"


def raw_request(url: str, target: bytes, headers: dict[str, str] | None = None,
                read_all: bool = True) -> tuple[int, dict[str, str], bytes, socket.socket]:
    """Send a request line exactly as given (http.client refuses control characters)."""
    host, port = url.split("//")[1].rstrip("/").split(":")
    sock = socket.create_connection((host, int(port)), timeout=10)
    headers = {"Host": f"{host}:{port}", **(headers or {})}
    lines = [b"GET " + target + b" HTTP/1.1"]
    lines += [f"{k}: {v}".encode() for k, v in headers.items()]
    if read_all:
        lines.append(b"Connection: close")
    sock.sendall(b"\r\n".join(lines) + b"\r\n\r\n")
    data = b""
    while read_all or b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    parsed = dict(line.split(": ", 1) for line in header_lines if ": " in line)
    if read_all:
        sock.close()
    return int(status_line.split()[1]), parsed, body, sock


TRAVERSAL = [
    b"/../X", b"/../site.toml", b"/..%2f..%2fetc/passwd", b"/%2e%2e/%2e%2e/etc/passwd",
    b"/%2e%2e/sentinel.txt", b"/%252e%252e/%252e%252e/etc/passwd", b"/..%5c..%5csite.toml",
    b"/%5c..%5csentinel.txt", b"//etc/passwd", b"/%00index.html", b"/index.html%00.css",
    b"/%ff%fe", b"/%c0%ae%c0%ae/etc/passwd", b"/a\x01b", b"/a\x1b[2Jb", b"/%0d%0aX-Injected:%201",
    b"/static/../../sentinel.txt", b"/static/%2e%2e/%2e%2e/sentinel.txt", b"/site.toml",
    b"/content/2016/11/tpp-dead-on-arrival.md", b"/.digest-output", b"/.git/config",
    b"/theme/static/style.css/../../../site.toml", b"/static/", b"/etc/passwd",
]


@pytest.fixture
def planted(site: Path) -> Path:
    (site.parent / "sentinel.txt").write_bytes(SENTINEL)
    (site / "content" / "sentinel.txt").write_bytes(SENTINEL)
    return site


def test_traversal_matrix(planted):
    srv = Server(planted)
    try:
        for target in TRAVERSAL:
            status, headers, body, _ = raw_request(srv.url, target)
            assert status in (400, 403, 404), (target, status)
            assert SENTINEL not in body and b"base_url" not in body and b"root:x" not in body, target
            assert "X-Injected" not in headers
        assert srv.get("/")[0] == 200
        time.sleep(0.2)
        log = "\n".join(srv.lines)
        assert "\\x1b" in log or "\\x01" in log  # control characters shown escaped…
        assert "\x1b" not in log and "\x01" not in log  # …never written raw to the terminal
    finally:
        srv.stop()


def test_duplicate_host_headers_are_refused(server):
    host, port = server.url.split("//")[1].rstrip("/").split(":")
    sock = socket.create_connection((host, int(port)), timeout=10)
    sock.sendall(f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nHost: evil.example\r\n"
                 "Connection: close\r\n\r\n".encode())
    reply = sock.recv(4096)
    sock.close()
    assert reply.split()[1] in (b"400", b"403")


def test_no_open_redirect_and_no_cors(server):
    for target in [b"/tags", b"/2016", b"//evil.example/", b"/%2F%2Fevil.example", b"/\\evil.example",
                   b"/%5cevil.example", b"/tags/..//evil.example", b"/sources"]:
        status, headers, _, _ = raw_request(server.url, target)
        location = headers.get("Location")
        if location is not None:
            assert location.startswith("/") and not location.startswith("//"), (target, location)
        assert "Access-Control-Allow-Origin" not in headers
    status, headers, _, _ = raw_request(server.url, b"/tags")
    assert status == 301 and headers["Location"] == "/tags/"


def test_wildcard_host_warns_and_accepts_configured_names(site):
    srv = Server(site, "--host", "0.0.0.0", "--allow-host", "digest.test")
    try:
        assert any("Warning" in line for line in srv.lines)
        for name, expected in [("digest.test", 200), ("evil.example", 403), ("localhost", 200)]:
            status, _, _, _ = raw_request(srv.url.replace("0.0.0.0", "127.0.0.1"), b"/",
                                          {"Host": name})
            assert status == expected, name
    finally:
        srv.stop()


def ws_handshake(url: str, origin: str | None) -> tuple[int, socket.socket]:
    key = base64.b64encode(os.urandom(16)).decode()
    headers = {"Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Key": key,
               "Sec-WebSocket-Version": "13"}
    if origin:
        headers["Origin"] = origin
    status, _, _, sock = raw_request(url, b"/__digest__/ws?since=1", headers, read_all=False)
    return status, sock


def test_reload_channel_rejects_foreign_origins_and_sends_only_numbers(site, server):
    status, sock = ws_handshake(server.url, "http://evil.example")
    sock.close()
    assert status == 403
    status, sock = ws_handshake(server.url, server.url.rstrip("/"))
    assert status == 101
    server.wait_build(1)
    (site / ARTICLE).write_text((site / ARTICLE).read_text() + "\nA change.\n")
    sock.settimeout(15)
    frame = b""
    while len(frame) < 2 or len(frame) < 2 + frame[1]:
        frame += sock.recv(4096)
    sock.close()
    assert frame[0] == 0x81  # one final text frame
    payload = frame[2:2 + frame[1]].decode()
    assert re.fullmatch(r"(reload|css|failed) \d+", payload), payload


class TagCollector(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


OVERLAY_TAGS = {"div", "h2", "p"}
OVERLAY_ATTRS = {"style", "id", "class", "role"}


def test_hostile_text_in_overlay_is_inert(site, server, browser):
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    article = site / ARTICLE
    good = article.read_text()
    # A valid article whose title is markup: the page shows it as text.
    lines = [line for line in good.splitlines() if not line.startswith(("title:", "summary:"))]
    lines.insert(1, 'title: "<img src=x onerror=alert(1)>"')
    article.write_text("\n".join(lines) + "\n")
    hostile = site / "content" / "<svg onload=alert(1)>.md"
    hostile.write_text("---\ntitle: <script>alert(2)</script> [\n---\nbody\n")
    page.goto(server.url + ARTICLE_URL.lstrip("/"))
    overlay = page.wait_for_selector("#digest-error-overlay", timeout=10_000)
    markup = overlay.evaluate("e => e.outerHTML")
    collector = TagCollector()
    collector.feed(markup)
    assert {tag for tag, _ in collector.tags} <= OVERLAY_TAGS, collector.tags
    assert all(name in OVERLAY_ATTRS for _, attrs in collector.tags for name, _ in attrs)
    text = overlay.inner_text()
    assert "<svg onload=alert(1)>.md" in text
    hostile.unlink()
    page.wait_for_selector("#digest-error-overlay", state="detached", timeout=10_000)
    assert page.locator("h1").inner_text() == "<img src=x onerror=alert(1)>"
    assert page.evaluate("document.querySelectorAll('img[onerror], svg[onload]').length") == 0
    assert dialogs == []
    page.close()


def test_error_page_before_any_good_build_escapes_everything(tmp_path):
    site = tmp_path / "broken"
    (site / "content").mkdir(parents=True)
    (site / "site.toml").write_text('title = "B"\nbase_url = "https://b.example/"\n')
    (site / "content" / "<svg onload=alert(1)>.md").write_text(
        "---\ntitle: <img src=x onerror=alert(1)>\ndate: nope <script>alert(3)</script>\n---\n")
    srv = Server(site)
    try:
        status, body = srv.get("/")
        assert status == 500
        collector = TagCollector()
        collector.feed(body.decode())
        tags = {tag for tag, _ in collector.tags}
        assert tags <= {"html", "meta", "title", "body", "h1", "ul", "li", "strong", "script"}, tags
        scripts = [dict(attrs) for tag, attrs in collector.tags if tag == "script"]
        assert scripts and all(s.get("src") == "/__digest__/reload.js" for s in scripts)
        assert b"&lt;svg onload=alert(1)&gt;.md" in body
    finally:
        srv.stop()


def fd_count(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024


def test_load_200_requests_with_50_reload_connections(server, capsys):
    server.wait_build(1)
    pid = server.proc.pid
    before = fd_count(pid)
    sockets = []
    for _ in range(50):
        status, sock = ws_handshake(server.url, None)
        assert status == 101
        sockets.append(sock)
    paths = ["/", ARTICLE_URL, "/tags/", "/2016/11/", "/feed.xml", "/sources/", "/no/such/"]

    def fetch(i: int) -> tuple[int, float]:
        started = time.perf_counter()
        status, _ = server.get(paths[i % len(paths)])
        return status, time.perf_counter() - started

    with concurrent.futures.ThreadPoolExecutor(max_workers=200) as pool:
        results = list(pool.map(fetch, range(200)))
    statuses = [s for s, _ in results]
    assert statuses.count(200) + statuses.count(404) == 200
    assert statuses.count(404) == sum(1 for i in range(200) if paths[i % len(paths)] == "/no/such/")
    latencies = sorted(t for _, t in results)
    p99 = latencies[int(len(latencies) * 0.99) - 1]
    rss = rss_mb(pid)
    for sock in sockets:
        sock.close()
    deadline = time.monotonic() + 15  # closed reload channels are noticed at the next ping
    while time.monotonic() < deadline and fd_count(pid) > before + 2:
        time.sleep(0.5)
    after = fd_count(pid)
    with capsys.disabled():
        print(f"\nload: 200 requests + 50 reload channels: median {statistics.median(latencies) * 1000:.0f} ms,"
              f" p99 {p99 * 1000:.0f} ms, RSS {rss:.0f} MB, fds {before} → {after}")
    assert after <= before + 2
