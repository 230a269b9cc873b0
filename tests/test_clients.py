"""The built example site, checked with real clients.

* Nu HTML Checker (vnu.jar) over every HTML page;
* Atom feeds: RELAX NG schema of RFC 4287 (jing), plus feedparser;
* sitemap.xml: the sitemaps.org 0.9 XML Schema (xmllint);
* Chromium (Playwright, Debian's browser): home page and one article page.

The tools come from ``scripts/test``; see ``tests/tools.py`` for what happens
when one is missing (skip locally, fail when CI=true).
"""

from __future__ import annotations

import os
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import unquote, urljoin, urlsplit

import pytest

try:
    from tests import tools
except ImportError:  # tests/ is on sys.path (rootdir-relative imports)
    import tools

# CSS selectors the browser tests rely on. Adjust here when the theme changes.
SEL = SimpleNamespace(
    # Every page has a main heading.
    heading="h1",
    # Links from the home page to articles, tried in this order; the first
    # same-site link found is "the home page's first article link".
    article_links=[
        "main article h2 a[href]",
        "main article h3 a[href]",
        "main article a[href]",
        "article a[href]",
    ],
    # The article page: its text, and the source attribution block.
    article_body="main article",
    article_paragraphs="main article p",
    attribution=".attribution",
)

ATOM_NS = "{http://www.w3.org/2005/Atom}"
# RFC 4287 section 3.3: RFC 3339 date-time, uppercase "T" and "Z", offset required.
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The example site, built once for this module.

    DIGEST_CLIENTS_SITE=DIR checks an existing build in DIR instead.
    """
    prebuilt = os.environ.get("DIGEST_CLIENTS_SITE")
    if prebuilt:
        return Path(prebuilt).resolve()
    return tools.build_example(tmp_path_factory.mktemp("clients"))


def _rel(site: Path, path: Path) -> str:
    return str(path.relative_to(site))


def _fail_if(problems: list[str], header: str) -> None:
    if problems:
        pytest.fail(f"{header}\n  " + "\n  ".join(problems), pytrace=False)


# --- HTML: Nu HTML Checker ---------------------------------------------------------


def test_html_is_valid(site):
    pages = sorted(site.rglob("*.html"))
    assert pages, f"no *.html under {site}"
    errors, result = tools.nu_errors(pages)
    lines = []
    for m in errors:
        url = m.get("url", "")
        name = _rel(site, tools.nu_page(m)) if url.startswith("file:") else url
        where = f"{name}:{m.get('lastLine', '?')}:{m.get('firstColumn', m.get('lastColumn', '?'))}"
        extract = (m.get("extract") or "").replace("\n", "\\n")
        lines.append(f"{where}: {m.get('message')}" + (f"\n    {extract}" if extract else ""))
    for line in lines:
        print(line)
    _fail_if(lines, f"Nu HTML Checker: {len(errors)} error(s) in {len(pages)} page(s):")
    assert result.returncode == 0, result.stderr


# --- Atom feeds --------------------------------------------------------------------------


def _feeds(site: Path) -> list[Path]:
    feeds = sorted(site.rglob("feed.xml"))
    assert site / "feed.xml" in feeds, "no feed.xml at the site root"
    return feeds


def test_feeds_match_atom_schema(site):
    jing = tools.jing_path()
    feeds = _feeds(site)
    schema = tools.SCHEMAS_DIR / "atom.rnc"
    result = subprocess.run(
        [jing, "-c", str(schema), *map(str, feeds)], capture_output=True, text=True, timeout=600
    )
    # Debian's jing wrapper warns about optional jars on stderr; keep the rest.
    output = [
        line.replace(str(site) + "/", "")
        for line in (result.stdout + result.stderr).splitlines()
        if line.strip() and not line.startswith("[warning] ")
    ]
    _fail_if(output, f"jing (RFC 4287 Atom schema) rejected {len(feeds)} feed(s):")
    assert result.returncode == 0, f"jing exited {result.returncode}:\n{result.stderr}"


def _atom_rules(feed: ET.Element) -> list[str]:
    """The checks that RFC 4287's schema states as (embedded) Schematron rules,
    which jing does not run, plus the RFC 3339 form of dates."""
    problems = []
    entries = feed.findall(f"{ATOM_NS}entry")
    if feed.find(f"{ATOM_NS}author") is None and any(
        e.find(f"{ATOM_NS}author") is None for e in entries
    ):
        problems.append("feed has no atom:author, and not every entry has one")
    for n, entry in enumerate(entries, 1):
        links = entry.findall(f"{ATOM_NS}link")
        if not (
            any(link.get("rel", "alternate") == "alternate" for link in links)
            or entry.find(f"{ATOM_NS}content") is not None
        ):
            problems.append(f"entry {n}: no alternate link and no content")
    for element in feed.iter():
        if element.tag in (f"{ATOM_NS}updated", f"{ATOM_NS}published"):
            if not RFC3339.match((element.text or "").strip()):
                problems.append(f"{element.tag[len(ATOM_NS):]} {element.text!r} is not an RFC 3339 date-time")
    return problems


def test_feeds_parse_cleanly(site):
    import feedparser
    problems = []
    for path in _feeds(site):
        name = _rel(site, path)
        root = ET.parse(path).getroot()
        if root.tag != f"{ATOM_NS}feed":
            problems.append(f"{name}: root element is {root.tag}, not an Atom feed")
            continue
        problems += [f"{name}: {p}" for p in _atom_rules(root)]

        parsed = feedparser.parse(path.read_bytes())
        if parsed.bozo:
            problems.append(f"{name}: feedparser bozo: {parsed.get('bozo_exception')!r}")
        if parsed.get("version") != "atom10":
            problems.append(f"{name}: feedparser sees version {parsed.get('version')!r}, not atom10")
        if not parsed.feed.get("title"):
            problems.append(f"{name}: feed has no title")
        if path == site / "feed.xml" and not parsed.entries:
            problems.append(f"{name}: the main feed has no entries")
        for n, entry in enumerate(parsed.entries, 1):
            label = f"{name} entry {n} ({entry.get('title', '?')!r})"
            for key in ("title", "link", "updated", "published", "author", "content"):
                if not entry.get(key):
                    problems.append(f"{label}: no {key}")
    _fail_if(problems, "Atom feeds:")


def test_rss_feeds_parse_cleanly(site):
    """RSS 2.0 twins of the Atom feeds (site.toml: rss = true), read by feedparser."""
    import feedparser
    feeds = sorted(site.rglob("rss.xml"))
    assert site / "rss.xml" in feeds, "no rss.xml at the site root (the example site sets rss = true)"
    assert {f.parent for f in feeds} == {f.parent for f in _feeds(site)}, "an Atom feed has no RSS twin"
    problems = []
    for path in feeds:
        name = _rel(site, path)
        parsed = feedparser.parse(path.read_bytes())
        if parsed.bozo:
            problems.append(f"{name}: feedparser bozo: {parsed.get('bozo_exception')!r}")
        if parsed.get("version") != "rss20":
            problems.append(f"{name}: feedparser sees version {parsed.get('version')!r}, not rss20")
        for n, entry in enumerate(parsed.entries, 1):
            label = f"{name} entry {n} ({entry.get('title', '?')!r})"
            for key in ("title", "link", "published", "author", "content", "id"):
                if not entry.get(key):
                    problems.append(f"{label}: no {key}")
    _fail_if(problems, f"RSS feeds ({len(feeds)}):")


# --- sitemap.xml --------------------------------------------------------------------------------


def test_sitemap_matches_schema(site):
    xmllint = tools.xmllint_path()
    sitemap = site / "sitemap.xml"
    assert sitemap.is_file(), "no sitemap.xml at the site root"
    result = subprocess.run(
        [xmllint, "--noout", "--schema", str(tools.SCHEMAS_DIR / "sitemap.xsd"), str(sitemap)],
        capture_output=True, text=True, timeout=120,
    )
    if result.returncode != 0:
        _fail_if(result.stderr.strip().splitlines(), "sitemap.xml against the sitemaps.org 0.9 XSD:")


def test_news_sitemap_matches_schema(site):
    """The Google News sitemap exists only when articles are less than two days old (the
    example site's are from 2016; tests/test_feeds.py builds one with a pinned clock)."""
    news = site / "news-sitemap.xml"
    robots = (site / "robots.txt").read_text()
    if not news.exists():
        assert "news-sitemap.xml" not in robots
        return
    assert "news-sitemap.xml" in robots
    result = subprocess.run(
        [tools.xmllint_path(), "--noout", "--schema", str(tools.SCHEMAS_DIR / "news-sitemap.xsd"), str(news)],
        capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        _fail_if(result.stderr.strip().splitlines(), "news-sitemap.xml against the sitemaps.org + News XSD:")


def test_sitemap_lists_built_pages(site):
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locs = [(loc.text or "").strip() for loc in ET.parse(site / "sitemap.xml").iter(f"{ns}loc")]
    assert locs, "sitemap.xml lists no URL"
    # The site's base URL: the shortest loc (the home page) prefixes every other.
    base = min(locs, key=len)
    if not all(loc.startswith(base) for loc in locs) or not base.endswith("/"):
        pytest.skip(f"cannot tell the base URL of the sitemap's locs (shortest: {base})")
    missing = []
    for loc in locs:
        rel = unquote(urlsplit(loc[len(base):]).path)
        target = site / rel
        if loc.endswith("/"):
            target = target / "index.html"
        if not target.is_file():
            missing.append(f"{loc} -> {_rel(site, target)} not built")
    _fail_if(missing, "sitemap.xml lists pages that were not built:")


# --- Chromium ------------------------------------------------------------------------------------


class PageProblems:
    """Collects what a page did wrong while loading: uncaught script errors and
    same-site requests that failed. Requests to other hosts are blocked (the
    tests have no network) and only listed."""

    def __init__(self, page, base_url: str):
        self.base = base_url
        self.errors: list[str] = []
        self.bad_status: set[str] = set()
        self.external: list[str] = []
        page.on("pageerror", lambda exc: self.errors.append(f"script error: {exc}"))
        page.on("response", self._response)
        page.on("requestfailed", self._failed)
        page.route(re.compile(r"^(?!" + re.escape(base_url) + r")[a-z]+://"), self._block)

    def _block(self, route):
        self.external.append(route.request.url)
        route.abort()

    def _local(self, url: str) -> bool:
        return url.startswith(self.base) and not url.endswith("/favicon.ico")

    def _response(self, response):
        if self._local(response.url) and response.status >= 400:
            self.bad_status.add(response.url)
            self.errors.append(f"HTTP {response.status} for {response.url}")

    def _failed(self, request):
        if self._local(request.url) and request.url not in self.bad_status:
            self.errors.append(f"request failed: {request.url} ({request.failure})")

    def check(self, what: str):
        if self.external:
            print(f"{what}: blocked requests to other hosts:", *self.external, sep="\n  ")
        _fail_if(self.errors, f"{what}:")


def _open(context, url: str, base_url: str):
    page = context.new_page()
    problems = PageProblems(page, base_url)
    response = page.goto(url, wait_until="load")
    assert response is not None and response.ok, f"GET {url}: {response and response.status}"
    return page, problems


def _assert_heading(page, url: str):
    heading = page.locator(SEL.heading)
    assert heading.count() >= 1, f"{url}: no <{SEL.heading}>"
    assert heading.first.is_visible(), f"{url}: <{SEL.heading}> is not visible"
    assert heading.first.inner_text().strip(), f"{url}: <{SEL.heading}> is empty"


def _first_article_url(page, base_url: str) -> str:
    home = page.url
    for selector in SEL.article_links:
        for href in page.locator(selector).evaluate_all("els => els.map(e => e.href)"):
            url = urljoin(home, href).split("#")[0]
            if url.startswith(base_url) and url.rstrip("/") != home.rstrip("/"):
                return url
    pytest.fail(f"no article link on the home page (tried {SEL.article_links})")


@pytest.fixture(scope="module")
def article_url(browser, base_url) -> str:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(base_url)
        return _first_article_url(page, base_url)
    finally:
        context.close()


def test_home_page_in_chromium(browser, base_url):
    context = browser.new_context()
    try:
        page, problems = _open(context, base_url, base_url)
        assert page.title().strip(), "home page has no <title>"
        _assert_heading(page, base_url)
        _first_article_url(page, base_url)
        problems.check("home page")
    finally:
        context.close()


def test_article_page_in_chromium(browser, base_url, article_url):
    context = browser.new_context()
    try:
        page, problems = _open(context, article_url, base_url)
        assert page.title().strip(), f"{article_url}: no <title>"
        _assert_heading(page, article_url)
        attribution = page.locator(SEL.attribution)
        assert attribution.count() >= 1, f"{article_url}: no attribution block ({SEL.attribution})"
        assert attribution.first.is_visible(), f"{article_url}: attribution block is hidden"
        assert attribution.first.inner_text().strip(), f"{article_url}: attribution block is empty"
        problems.check(article_url)
    finally:
        context.close()


def test_article_text_without_javascript(browser, base_url, article_url):
    with_js = browser.new_context()
    try:
        page = with_js.new_page()
        page.goto(article_url)
        expected = page.locator(SEL.article_paragraphs).evaluate_all(
            "els => els.filter(e => e.checkVisibility())"
            "          .map(e => e.innerText.trim()).filter(t => t)"
        )
    finally:
        with_js.close()
    assert expected, f"{article_url}: no article text ({SEL.article_paragraphs})"

    no_js = browser.new_context(java_script_enabled=False)
    try:
        page, _ = _open(no_js, article_url, base_url)
        body = page.locator(SEL.article_body)
        assert body.count() >= 1 and body.first.is_visible(), (
            f"{article_url}: article ({SEL.article_body}) not visible without JavaScript"
        )
        shown = body.first.inner_text()
        hidden = [p for p in expected if p not in shown]
        assert not hidden, (
            f"{article_url}: without JavaScript, {len(hidden)} of {len(expected)} "
            f"paragraph(s) are not shown, e.g. {hidden[0][:120]!r}"
        )
        _assert_heading(page, article_url)
        attribution = page.locator(SEL.attribution)
        assert attribution.count() >= 1 and attribution.first.is_visible(), (
            f"{article_url}: attribution block not shown without JavaScript"
        )
    finally:
        no_js.close()


# --- LinkChecker -------------------------------------------------------------------------------------

LINKCHECKER_RC = """\
[checking]
threads=4
maxrequestspersecond=1000
timeout=30
[filtering]
checkextern=0
[AnchorCheck]
[output]
warnings=1
"""


def test_no_broken_links_or_anchors(site, tmp_path_factory):
    """LinkChecker crawls the site over http on 127.0.0.1 (over file:// it skips root-relative
    links): every internal link and #anchor must resolve; other hosts are not contacted."""
    import csv
    import stat
    linkchecker = tools.linkchecker_path()
    # Run as root, LinkChecker drops to `nobody`: its config and home must be readable there.
    home = tmp_path_factory.mktemp("linkchecker")
    home.chmod(stat.S_IRWXU | stat.S_IRWXG | stat.S_IRWXO | stat.S_ISVTX)
    for parent in home.parents:
        if parent == Path(parent.anchor):
            break
        parent.chmod(parent.stat().st_mode | stat.S_IXOTH)
    rc = home / "linkcheckerrc"
    rc.write_text(LINKCHECKER_RC)
    rc.chmod(0o644)
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home), "XDG_DATA_HOME": str(home),
           "XDG_CACHE_HOME": str(home)}
    # The LinkChecker response header lifts its politeness delay for this (our own) server.
    with tools.serve_directory(site, headers={"LinkChecker": "allow"}) as base:
        result = subprocess.run(
            [linkchecker, "--config", str(rc), "--no-status", "--verbose", "-o", "csv", base],
            capture_output=True, text=True, timeout=900, env=env, cwd=home)
    lines = [ln for ln in result.stdout.splitlines() if ln and not ln.startswith("# ")]  # '#main;…' is a row
    rows = list(csv.DictReader(lines, delimiter=";"))
    assert rows, f"linkchecker printed no results (exit {result.returncode}):\n{result.stderr[-2000:]}"
    internal = [r for r in rows if r["url"].startswith(base)]
    problems = [f"{r['url']} (from {r['parentname']}): {r['result']} {r['warningstring']}".strip()
                for r in internal if r["valid"] != "True" or "anchor" in r["warningstring"].lower()]
    print(f"linkchecker: {len(rows)} URLs, {len(internal)} on the site, exit {result.returncode}")
    _fail_if(problems, f"linkchecker: {len(problems)} broken internal link(s) or anchor(s):")
    assert len(internal) > 100, f"linkchecker reached only {len(internal)} internal URLs"
    assert any("#" in r["url"] for r in internal), "no anchor was checked"
