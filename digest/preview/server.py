"""`digest serve`: the preview HTTP server, reload channel and error page.

Pages come from memory (PreviewState.files), never from disk, so no request
can reach a file outside the built site: a path is decoded once, checked
segment by segment and looked up in a dict. Unknown paths get the theme's
404 page with status 404.
"""
from __future__ import annotations

import base64
import hashlib
import html
import ipaddress
import json
import mimetypes
import re
import socket
import threading
import urllib.parse
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from digest.preview.state import PreviewState

CLIENT_JS = (Path(__file__).parent / "livereload.js").read_bytes()
PREFIX = "/__digest__/"
HEARTBEAT = 5.0  # seconds between pings; a closed tab frees its thread by then
WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
TYPES = {".xml": "application/xml", ".txt": "text/plain", ".js": "text/javascript",
         ".css": "text/css", ".html": "text/html", ".svg": "image/svg+xml", ".json": "application/json",
         ".webp": "image/webp", ".woff2": "font/woff2"}


def clean_path(raw: str) -> str | None:
    """The site file a request path names ('' for the root), or None if it is unsafe."""
    path = raw.split("?", 1)[0].split("#", 1)[0]
    if not path.startswith("/") or path.startswith("//") or "\\" in path:
        return None
    try:
        decoded = urllib.parse.unquote(path, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        return None
    if CONTROL.search(decoded) or "\\" in decoded or "//" in decoded:
        return None
    segments = decoded.split("/")[1:]
    if any(s in (".", "..") or s.startswith(".") for s in segments):
        return None
    return "/".join(segments)


def content_type(rel: str) -> str:
    if rel.endswith("feed.xml"):
        return "application/atom+xml; charset=utf-8"
    suffix = Path(rel).suffix.lower()
    kind = TYPES.get(suffix) or mimetypes.guess_type(rel)[0] or "application/octet-stream"
    textual = kind.startswith("text/") or kind.endswith(("xml", "json", "javascript"))
    return f"{kind}; charset=utf-8" if textual else kind


def host_name(header: str | None) -> str | None:
    """The host part of a Host header ('[::1]:8000' → '::1')."""
    if not header:
        return None
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:header.find("]")] if "]" in header else None
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def inject(page: bytes, number: int) -> bytes:
    """Add the live-reload script to an HTML page (serve mode only)."""
    tag = f'<script src="{PREFIX}reload.js" data-build="{number}"></script>\n'.encode()
    at = page.rfind(b"</body>")
    return page[:at] + tag + page[at:] if at >= 0 else page + tag


def error_page(state: PreviewState) -> bytes:
    """Shown while no build has succeeded yet; every field escaped."""
    items = "".join(
        f"<li><strong>{html.escape(e.path)}{':' + str(e.line) if e.line else ''}</strong> "
        f"{html.escape(e.field or '')}: {html.escape(e.message)}"
        f"{' (' + html.escape(e.hint) + ')' if e.hint else ''}</li>" for e in state.errors)
    body = (f"<!doctype html><html lang=en><meta charset=utf-8><title>Build failed</title>"
            f"<body><h1>Build failed</h1><ul>{items}</ul></body></html>")
    return body.encode()


class PreviewHandler(BaseHTTPRequestHandler):
    """Serves PreviewState; one thread per connection (ThreadingHTTPServer)."""

    server: PreviewServer
    server_version = "digest-serve"
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self.respond(head=False)

    def do_HEAD(self) -> None:
        self.respond(head=True)

    def log_message(self, format: str, *args: object) -> None:
        # Request paths are attacker-controlled: escape control characters so a
        # request cannot forge or erase lines in the editor's terminal.
        text = (format % args).encode("unicode_escape").decode("ascii")
        self.server.log(f"{self.address_string()} {text}")

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        if self.server.verbose:
            super().log_request(code, size)

    def respond(self, head: bool) -> None:
        hosts = self.headers.get_all("Host") or []
        if len(hosts) != 1 or not self.server.host_allowed(host_name(hosts[0])):
            self.log_message("rejected Host %s", self.headers.get("Host"))
            return self.send(HTTPStatus.FORBIDDEN, b"Forbidden host\n", "text/plain; charset=utf-8", head)
        path = self.path
        if path.startswith(PREFIX):
            return self.internal(path[len(PREFIX):], head)
        rel = clean_path(path)
        if rel is None:
            self.log_message("rejected unsafe path %s", path)
            return self.not_found(head, HTTPStatus.BAD_REQUEST)
        state = self.server.state
        if not state.files and state.errors:
            return self.send(HTTPStatus.INTERNAL_SERVER_ERROR, inject(error_page(state), state.number),
                             "text/html; charset=utf-8", head)
        key = rel + "index.html" if rel == "" or rel.endswith("/") else rel
        if key in state.files:
            return self.page(HTTPStatus.OK, key, state.files[key], head)
        if f"{rel}/index.html" in state.files:
            location = "/" + urllib.parse.quote(rel) + "/"
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        return self.not_found(head)

    def not_found(self, head: bool, status: HTTPStatus = HTTPStatus.NOT_FOUND) -> None:
        page = self.server.state.files.get("404.html", b"<!doctype html><title>Not found</title>Not found")
        self.page(status, "404.html", page, head)

    def page(self, status: HTTPStatus, rel: str, data: bytes, head: bool) -> None:
        kind = content_type(rel)
        if kind.startswith("text/html"):
            data = inject(data, self.server.state.number)
        # A fingerprinted static URL (?v=hash) names fixed bytes: the browser may keep it.
        fixed = rel.startswith("static/") and "?v=" in self.path
        self.send(status, data, kind, head, cache="max-age=31536000, immutable" if fixed else "no-store")

    def send(self, status: HTTPStatus, data: bytes, kind: str, head: bool, cache: str = "no-store") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", cache)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if not head:
            self.wfile.write(data)

    def internal(self, name: str, head: bool) -> None:
        endpoint = name.split("?", 1)[0]
        if endpoint == "reload.js":
            return self.send(HTTPStatus.OK, CLIENT_JS, "text/javascript; charset=utf-8", head)
        if endpoint == "status":
            state = self.server.state
            body = json.dumps({"build": state.number, "errors": [e.as_dict() for e in state.errors]})
            return self.send(HTTPStatus.OK, body.encode(), "application/json; charset=utf-8", head)
        if endpoint == "ws":
            return self.reload_channel(name)
        return self.not_found(head)

    def reload_channel(self, name: str) -> None:
        """WebSocket carrying one 'event number' message per build, never paths or content.

        A WebSocket, not Server-Sent Events: browsers cap HTTP/1.1 connections
        at six per host, so SSE in many tabs would starve page requests.
        """
        origin = self.headers.get("Origin")
        key = self.headers.get("Sec-WebSocket-Key", "")
        if origin and not self.server.host_allowed(urllib.parse.urlsplit(origin).hostname):
            return self.send(HTTPStatus.FORBIDDEN, b"Forbidden origin\n", "text/plain; charset=utf-8", False)
        if self.headers.get("Upgrade", "").lower() != "websocket" or not key:
            return self.send(HTTPStatus.BAD_REQUEST, b"WebSocket only\n", "text/plain; charset=utf-8", False)
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(name).query)
        since = int(query["since"][0]) if query.get("since", [""])[0].isdigit() else -1
        accept = base64.b64encode(hashlib.sha1((key + WS_GUID).encode()).digest()).decode()
        self.send_response(HTTPStatus.SWITCHING_PROTOCOLS)
        self.send_header("Upgrade", "websocket")
        self.send_header("Connection", "Upgrade")
        self.send_header("Sec-WebSocket-Accept", accept)
        self.end_headers()
        self.close_connection = True
        state = self.server.state
        try:
            while not state.stopping:
                news = state.wait(since, HEARTBEAT)
                if news is None:
                    self.wfile.write(ws_frame(b"", opcode=0x9))  # ping: finds closed tabs
                else:
                    since, event = news
                    self.wfile.write(ws_frame(f"{event} {since}".encode()))
                self.wfile.flush()
            self.wfile.write(ws_frame(b"", opcode=0x8))
        except OSError:
            return


def ws_frame(payload: bytes, opcode: int = 0x1) -> bytes:
    """One unmasked server-to-client WebSocket frame (RFC 6455 section 5.2)."""
    size = len(payload)
    if size < 126:
        header = bytes([0x80 | opcode, size])
    elif size < 1 << 16:
        header = bytes([0x80 | opcode, 126]) + size.to_bytes(2, "big")
    else:
        header = bytes([0x80 | opcode, 127]) + size.to_bytes(8, "big")
    return header + payload


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], state: PreviewState, log: Callable[[str], None],
                 allowed_hosts: frozenset[str] = frozenset(), verbose: bool = False) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, PreviewHandler)
        self.state = state
        self.log = log
        self.verbose = verbose
        self.allowed_hosts = LOOPBACK_NAMES | {h.lower() for h in allowed_hosts}

    def host_allowed(self, host: str | None) -> bool:
        """DNS-rebinding guard: only loopback names and the names the editor allowed."""
        return host is not None and (host in self.allowed_hosts or is_loopback(host))

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.2},
                                  name="digest-serve", daemon=True)
        thread.start()
        return thread
