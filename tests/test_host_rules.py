"""Host rules and moved articles: the URL registry (content/.urls.toml), the redirect pages at old
URLs, and `_redirects`, `_headers` and `nginx.conf`, checked by parsing and by Debian's nginx
serving a built site on a loopback port."""
from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import tomllib
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import tools
from conftest import Site, tree_digest

from digest.site.pipeline import build, memory

OLD = "/2016/11/10/first-slug/"
NEW = "/2016/11/10/second-slug/"
REMOVED = "/2016/11/11/withdrawn-story/"
ALIAS = "/news/old-path/"
ALIASED = "/2016/11/12/aliased-story/"
STATUSES = {"301!", "410!"}


def moving(slug: str) -> dict[str, object]:
    return {"title": "Moving story", "date": "2016-11-10", "slug": slug,
            "source": {"name": "Example Times", "url": "https://times.example/moving"}}


@pytest.fixture
def moved_site(make_site) -> Site:
    """A site whose article moved (slug changed after a build), one taken down, one with an alias."""
    site = make_site()
    site.article("moving.md", moving("first-slug"))
    site.article("withdrawn.md", {"title": "Withdrawn story", "date": "2016-11-11", "slug": "withdrawn-story",
                                  "source": {"name": "Example Times", "url": "https://times.example/w"},
                                  "removed": {"date": "2016-12-01", "reason": "Removed at the request of "
                                              "the copyright holder."}})
    site.article("aliased.md", {"title": "Aliased story", "date": "2016-11-12", "slug": "aliased-story",
                                "source": {"name": "Example Times", "url": "https://times.example/a"},
                                "aliases": [ALIAS]})
    site.build()
    site.article("moving.md", moving("second-slug"))
    site.build()
    return site


def redirect_lines(text: str) -> list[tuple[str, str, str]]:
    """_redirects by Netlify's documented rules: one rule a line, `from to [status[!]]`,
    blank lines and lines starting with # ignored."""
    rules = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split()
        assert len(parts) == 3, f"not 'from to status': {line!r}"
        rules.append((parts[0], parts[1], parts[2]))
    return rules


# ---------------------------------------------------------------- the registry and redirect pages


def test_the_registry_keeps_every_url_ever_published(moved_site):
    registry = tomllib.loads((moved_site.root / "content/.urls.toml").read_text())
    assert registry["urls"][OLD] == registry["urls"][NEW] == {"file": "content/moving.md",
                                                             "source": "https://times.example/moving"}
    assert REMOVED in registry["urls"] and registry["gone"] == []
    assert ALIAS not in registry["urls"]  # aliases live in front matter


def test_the_old_url_gets_a_page_that_sends_readers_on(moved_site):
    page = moved_site.page(OLD)
    assert page.find("meta", http_equiv="refresh").get("content") == f"0; url={NEW}"
    assert page.find("link", rel_="canonical").get("href") == f"https://digest.test{NEW}"
    assert moved_site.page(ALIAS).find("link", rel_="canonical").get("href") == f"https://digest.test{ALIASED}"
    assert OLD not in moved_site.read("/sitemap.xml") and NEW in moved_site.read("/sitemap.xml")


def test_redirect_pages_are_valid_html(moved_site):
    errors, result = tools.nu_errors([moved_site.path(OLD), moved_site.path(ALIAS)])
    assert errors == [] and result.returncode == 0, result.stderr


def test_redirects_file_follows_the_documented_format(moved_site):
    rules = redirect_lines(moved_site.read("/_redirects"))
    assert (OLD, NEW, "301!") in rules and (ALIAS, ALIASED, "301!") in rules
    assert (REMOVED, REMOVED, "410!") in rules
    froms = [f for f, _, _ in rules]
    assert len(froms) == len(set(froms)), "a path has two rules"
    for old, new, status in rules:
        assert old.startswith("/") and new.startswith("/") and status in STATUSES


def test_headers_file_caches_static_files_long_and_pages_briefly(moved_site):
    blocks: dict[str, list[str]] = {}
    current = ""
    for line in moved_site.read("/_headers").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line[0].isspace():
            blocks[current].append(line.strip())
        else:
            current = line
            assert current not in blocks, f"{current} listed twice"
            blocks[current] = []
    assert blocks["/static/*"] == ["Cache-Control: public, max-age=31536000, immutable"]
    assert blocks["/"] == blocks["/2016/*"] == blocks["/feed.xml"] == ["Cache-Control: public, max-age=300"]
    assert "/*" not in blocks  # hosts join every matching rule: none may overlap /static/*


def test_a_deleted_article_is_an_error_naming_its_url_until_listed_as_gone(moved_site):
    site = moved_site
    (site.root / "content/moving.md").unlink()
    before = (site.root / "content/.urls.toml").read_bytes()
    errors = site.build_errors()
    assert len(errors) == 2  # the current URL and the old one: all errors together
    assert any(e.startswith("content/.urls.toml:") and "content/moving.md was deleted" in e and NEW in e
               and "gone" in e for e in errors)
    assert (site.root / "content/.urls.toml").read_bytes() == before  # a failed build writes nothing
    text = before.decode().replace("gone = []", f'gone = ["{OLD}", "{NEW}"]')
    (site.root / "content/.urls.toml").write_text(text)
    site.build()
    rules = redirect_lines(site.read("/_redirects"))
    assert (NEW, "/404.html", "410!") in rules and (OLD, "/404.html", "410!") in rules
    assert not site.exists(NEW)


def test_a_renamed_file_keeps_its_url_redirected_by_source(moved_site):
    site = moved_site
    (site.root / "content/moving.md").rename(site.root / "content/renamed.md")
    site.article("renamed.md", moving("third-slug"))
    site.build()
    rules = redirect_lines(site.read("/_redirects"))
    third = "/2016/11/10/third-slug/"
    assert (OLD, third, "301!") in rules and (NEW, third, "301!") in rules


def test_check_and_serve_read_the_registry_but_never_write_it(moved_site):
    site = moved_site
    path = site.root / "content/.urls.toml"
    before = path.read_bytes()
    site.article("moving.md", moving("fourth-slug"))
    plan = site.check()
    assert plan.index.moved[OLD] == "/2016/11/10/fourth-slug/"
    pipeline = memory(site.root, site.options())
    pipeline.run()
    assert "2016/11/10/first-slug/index.html" in pipeline.files
    assert path.read_bytes() == before


def test_bad_aliases_are_errors_in_the_project_format(site):
    path = site.article("a.md", {"title": "A", "aliases": ["no-slash/", "/ok/", "/a b/", "/../x/"]})
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if text.startswith("aliases"))
    errors = site.build_errors()
    assert errors == [
        f"content/a.md:{line}: aliases[{n}]: '{bad}' is not a site path like /2016/11/09/old-slug/ "
        "(start and end with /; letters, digits and -._~% between, no . or .. segment)"
        for n, bad in ((1, "no-slash/"), (3, "/a b/"), (4, "/../x/"))]


def test_incremental_equals_clean_after_a_move(moved_site, tmp_path):
    clean = tmp_path / "clean"
    build(moved_site.root, clean, moved_site.options(), clean=True, cache=False)
    assert tree_digest(clean) == tree_digest(moved_site.output)


# ---------------------------------------------------------------- nginx, for real


def nginx_path() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None)
    if found is None:
        tools.missing("nginx", f"{tools.SETUP_HINT} (apt-get install nginx)")
    assert found is not None
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def nginx(moved_site) -> Iterator[str]:
    """nginx serving the built site with its include, as an unprivileged process: base URL."""
    program = nginx_path()
    root = moved_site.output.resolve()
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        temps = "\n".join(f"    {name}_temp_path {tmp}/{name};" for name in
                          ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        conf = Path(tmp, "nginx.conf")
        # As root, nginx's workers would drop to `nobody`, who cannot read pytest's private tmp folders.
        user = f"user {pwd.getpwuid(os.geteuid()).pw_name};\n" if os.geteuid() == 0 else ""
        conf.write_text(f"""{user}daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
{temps}
    server {{
        listen 127.0.0.1:{port};
        root {root};
        include {root}/nginx.conf;
        error_page 404 /404.html;
    }}
}}
""")
        check = subprocess.run([program, "-t", "-p", tmp, "-c", str(conf)], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        proc = subprocess.Popen([program, "-p", tmp, "-c", str(conf)], stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 10
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
                    assert time.monotonic() < deadline, "nginx did not start"
                    time.sleep(0.05)
            yield f"http://127.0.0.1:{port}"
        finally:
            proc.terminate()
            proc.wait(timeout=10)


class NoFollow(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def fetch(url: str) -> tuple[int, dict[str, str], str]:
    opener = urllib.request.build_opener(NoFollow)
    try:
        with opener.open(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def test_nginx_serves_the_rules(nginx, moved_site):
    status, headers, _ = fetch(nginx + OLD)
    assert status == 301 and headers["Location"] == nginx + NEW
    status, headers, _ = fetch(nginx + ALIAS)
    assert status == 301 and headers["Location"] == nginx + ALIASED
    status, headers, body = fetch(nginx + NEW)
    assert status == 200 and "Moving story" in body and headers["Cache-Control"] == "public, max-age=300"
    status, _, body = fetch(nginx + REMOVED)
    assert status == 410 and "This article has been removed." in body and "Withdrawn story" in body
    css = moved_site.page(NEW).find("link", rel_="stylesheet").get("href")
    assert css is not None and css.startswith("/static/") and "?v=" in css
    status, headers, _ = fetch(nginx + css)
    assert status == 200 and headers["Cache-Control"] == "public, max-age=31536000, immutable"
    status, _, body = fetch(nginx + "/2016/11/10/never-was/")
    assert status == 404 and body == moved_site.read("/404.html")
