"""The new pages of corrections and takedowns in real clients: the Nu HTML Checker and axe-core in
Chromium (light and dark) on an article with corrections, /corrections/ and a takedown notice.

The site is the example digest with one article corrected and one taken down, as an editor would.
"""
from __future__ import annotations

import subprocess
from pathlib import Path
from urllib.parse import urljoin

import pytest

from tests import tools

CORRECTED = "content/2016/11/moscow-readiness-to-talk.md"
REMOVED = "content/2016/11/opec-agrees-output-cut.md"
PAGES = {
    "corrected": "2016/11/09/moscow-readiness-to-talk/",
    "corrections": "corrections/",
    "tombstone": "2016/11/30/opec-agrees-first-output-cut-since-2008-as-brent-jumps-nearly-9-percent/",
}
CORRECTIONS = ('corrections:\n  - date: 2016-11-10\n    text: "An earlier version gave the wrong date for the '
               'call."\n  - date: 2016-11-11\n    text: "An earlier version misnamed the Kremlin spokesman. '
               'He is **Dmitry Peskov**."\n')


def duties_site(folder: Path) -> Path:
    """The example site, one article corrected and one taken down; its output folder."""
    site = tools.copy_example(folder)
    corrected = site / CORRECTED
    text = corrected.read_text(encoding="utf-8")
    corrected.write_text(text.replace("\nslug:", "\n" + CORRECTIONS + "slug:", 1), encoding="utf-8")
    ran = subprocess.run([str(tools.digest_program()), "takedown", REMOVED, "--reason",
                          "Removed at the request of the copyright holder."],
                         cwd=site, capture_output=True, text=True, timeout=600)
    assert ran.returncode == 0, ran.stderr
    return site / "public"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return duties_site(tmp_path_factory.mktemp("duties"))


def test_the_site_shows_both(site):
    assert "Dmitry Peskov" in (site / PAGES["corrected"] / "index.html").read_text()
    assert "Removed at the request" in (site / PAGES["tombstone"] / "index.html").read_text()


def test_new_pages_are_valid_html(site):
    messages, _ = tools.nu_errors([site / rel / "index.html" for rel in PAGES.values()])
    errors = [f"{tools.nu_page(m).relative_to(site)}:{m.get('lastLine')}: {m.get('message')}" for m in messages]
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_no_serious_violations(browser, base_url, name, scheme):
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        response = page.goto(urljoin(base_url, PAGES[name]), wait_until="load")
        assert response is not None and response.ok
        violations = tools.axe_violations(page)
    finally:
        context.close()
    bad = [f"{v['id']}: {v['help']} ({', '.join(', '.join(n['target']) for n in v['nodes'][:3])})"
           for v in violations if v.get("impact") in ("serious", "critical")]
    assert not bad, "\n".join(bad)
