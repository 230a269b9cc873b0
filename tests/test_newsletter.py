"""The newsletter (issue 15): built pages, `digest newsletter`, the e-mail, real clients' checks."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from email import policy
from email.parser import BytesParser
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from digest.cli import main
from tests import tools

DAY = "2016-11-09"
TITLES = ('Moscow signals "readiness to talk" as Washington prepares for a transition',
          "Dakar, Niamey and Bamako look to US result for signals on aid and security",
          "Peso, real & sol slide as Latin American markets digest the US vote")
CLIENTS = ("gmail.*", "outlook.*", "apple-mail.*")
# caniemail features the newsletter uses although a client ignores them, each with its fallback.
EXCEPTIONS = {
    "`@media`": "only the dark-mode colours live in @media; clients without it show the inlined light colours, "
                "every one of which sets its background and its text colour",
    "`<body> element`": "clients that replace <body> lose only its margin; the outer table carries the background",
    "`display:none`": "the preheader also has a 1px font in the background's colour and max-height 0",
    "`role attribute`": "role=presentation only tells screen readers the tables are layout; ignoring it changes nothing seen",
}
DOIUSE = tools.TOOLS_DIR / "@jsx-email" / "doiuse-email"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return tools.build_example(tmp_path_factory.mktemp("newsletter"))


@pytest.fixture(scope="module")
def eml(tmp_path_factory) -> bytes:
    site = tools.copy_example(tmp_path_factory.mktemp("eml"))
    result = CliRunner().invoke(main, ["newsletter", DAY, "--format", "eml", "--site", str(site)])
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.urls += [v or "" for k, v in attrs if k in ("href", "src")]


def test_build_writes_both_newsletters_per_edition(site):
    editions = [p.parent for p in site.glob("2016/11/*/index.html")]
    assert editions
    for folder in editions:
        assert (folder / "newsletter.html").is_file() and (folder / "newsletter.txt").is_file(), folder
    assert "newsletter" not in (site / "sitemap.xml").read_text()


def test_text_part_is_wrapped_and_readable(site):
    text = (site / "2016/11/09/newsletter.txt").read_text()
    assert all(len(line) <= 72 or " " not in line.strip() for line in text.splitlines()), text  # a URL is never cut
    flat = " ".join(text.split())
    for title in TITLES:
        assert title in flat
    assert "https://digest.example.org/2016/11/09/moscow-readiness-to-talk/" in text
    assert "The Baltic Ledger" in text and "<" not in text.replace("<https", "")


def test_disclaimers_once_each(site):
    html = (site / "2016/11/09/newsletter.html").read_text()
    assert html.count("unofficial translation") == 1  # two Sahel/Andes articles, one disclaimer
    assert html.count("fair use") == 1
    assert "Originally published by" in html and "Copyright © Andes Wire, 2016" in html


def test_newsletter_off_by_default(tmp_path):
    site = tools.copy_example(tmp_path)
    toml = site / "site.toml"
    toml.write_text(re.sub(r"\[newsletter\][^\[]*", "", toml.read_text()))
    from digest.site.pipeline import build

    build(site, tmp_path / "off", cache=False)
    assert not (tmp_path / "off/2016/11/09/newsletter.html").exists()
    assert (tmp_path / "off/2016/11/09/index.html").is_file()


def test_starter_site_has_newsletter_on(tmp_path):
    result = CliRunner().invoke(main, ["init", str(tmp_path / "new")])
    assert result.exit_code == 0, result.output
    from digest.site.config import load_config

    assert load_config(tmp_path / "new").newsletter is True


def test_eml_is_a_complete_multipart_message(eml):
    msg = BytesParser(policy=policy.default).parsebytes(eml)
    assert msg.get_content_type() == "multipart/alternative"
    parts = list(msg.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    assert msg["Subject"] == "The morning after the US vote"
    assert msg["From"].addresses[0].display_name == "World Press Digest"
    assert msg["From"].addresses[0].addr_spec == "editors@digest.example.org"
    assert msg["Date"] and msg["Message-ID"].strip().startswith("<") and "<mailto:" in msg["List-Unsubscribe"]
    text, html = (p.get_content() for p in parts)
    for title in TITLES:
        assert title in " ".join(text.split())
        assert title.replace("&", "&amp;").replace('"', "&#34;") in html or title in html
    links = Links()
    links.feed(html)
    assert "script" not in links.tags and "form" not in links.tags
    relative = [u for u in links.urls if urlsplit(u).scheme not in ("https", "http", "mailto")]
    assert links.urls and relative == []
    styles = re.findall(r"<style[^>]*>(.*?)</style>", html, re.S)
    assert all(s.strip().startswith("@media") for s in styles), styles  # only what cannot be inlined


def test_unknown_day_names_nearest_editions(tmp_path):
    site = tools.copy_example(tmp_path)
    result = CliRunner().invoke(main, ["newsletter", "2016-11-11", "--site", str(site)])
    assert result.exit_code == 1
    assert "2016-11-11" in result.output and "2016-11-10" in result.output and "2016-11-12" in result.output
    result = CliRunner().invoke(main, ["newsletter", "Nov 9", "--site", str(site)])
    assert result.exit_code == 1 and "YYYY-MM-DD" in result.output


def test_eml_needs_a_sender_and_notes_a_placeholder(tmp_path):
    site = tools.copy_example(tmp_path)
    toml = site / "site.toml"
    without = re.sub(r"\[newsletter\][^\[]*", "", toml.read_text())
    toml.write_text("newsletter = true\n" + without)
    result = CliRunner().invoke(main, ["newsletter", DAY, "--format", "eml", "--site", str(site)])
    assert result.exit_code == 1 and "newsletter.from" in result.output
    toml.write_text(without + '\n[newsletter]\nfrom = "d@digest.example.org"\n')
    out = tmp_path / "x.eml"
    result = CliRunner().invoke(main, ["newsletter", DAY, "--format", "eml", "-o", str(out), "--site", str(site)])
    assert result.exit_code == 0, result.output
    assert "placeholder" in result.output
    msg = BytesParser(policy=policy.default).parsebytes(out.read_bytes())
    assert msg["List-Unsubscribe"] == "<mailto:unsubscribe@digest.example.org>"


def test_html_and_text_formats(tmp_path):
    site = tools.copy_example(tmp_path)
    text = CliRunner().invoke(main, ["newsletter", DAY, "--format", "text", "--site", str(site)])
    assert text.exit_code == 0 and text.stdout.startswith("World Press Digest\n")
    html = CliRunner().invoke(main, ["newsletter", DAY, "--site", str(site)])
    assert html.exit_code == 0 and html.stdout.startswith("<!DOCTYPE html>")


def test_caniemail_gmail_outlook_apple_mail(site):
    node = shutil.which("node")
    if node is None or not (DOIUSE / "package.json").is_file():
        tools.missing("@jsx-email/doiuse-email", f"{tools.SETUP_HINT} (npm install --prefix .tools @jsx-email/doiuse-email)")
    script = Path(__file__).with_name("doiuse_email.js")
    problems = []
    for page in sorted(site.glob("2016/11/*/newsletter.html")):
        run = subprocess.run([str(node), str(script), str(DOIUSE), str(page), *CLIENTS],
                             capture_output=True, text=True, timeout=120, check=True)
        for error in json.loads(run.stdout).get("errors", []):
            feature = error.split(" is not supported")[0]
            if feature not in EXCEPTIONS:
                problems.append(f"{page.relative_to(site)}: {error}")
    assert problems == []


@pytest.mark.parametrize("width", [600, 375])
def test_chromium_renders_without_overflow(site, browser, width, tmp_path):
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        for path in sorted(site.glob("2016/11/*/newsletter.html")):
            page.goto(path.as_uri())
            scroll, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            assert scroll <= client, f"{path}: {scroll} > {client} at {width}px"
            alts = page.evaluate("[...document.images].map(i => i.getAttribute('alt'))")
            assert all(a and a.strip() for a in alts), path
    finally:
        page.close()


@pytest.mark.parametrize(("table", "field"), [
    ('[newsletter]\nfrom = "not an address"\n', "newsletter.from"),
    ('[newsletter]\nunsubscribe = "mailto:x@y.org"\n', "newsletter.unsubscribe"),
    ("[newsletter]\nenabled = 1\n", "newsletter.enabled"),
    ('[newsletter]\nfrm = "d@x.org"\n', "newsletter.frm"),
])
def test_newsletter_table_errors_name_the_key(tmp_path, table, field):
    from digest.errors import BuildFailed
    from digest.site.config import load_config

    (tmp_path / "site.toml").write_text(f'title = "T"\nbase_url = "https://x.org/"\n{table}')
    with pytest.raises(BuildFailed) as failed:
        load_config(tmp_path)
    assert [e.field for e in failed.value.errors] == [field]
    assert failed.value.errors[0].line is not None
