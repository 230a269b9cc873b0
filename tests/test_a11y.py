"""Accessibility of the example site, checked by axe-core in Chromium (light and dark mode),
plus a visible keyboard focus on every stop of the first screenful of tab stops.

Pages: home (the latest edition and earlier headlines), an article (the one with a picture),
a topic, a day's edition (the one with an edition file), a month, the archive index, the
sources index, and the search page showing results with its filters. A serious or critical axe
violation fails; so does WCAG AA colour contrast (axe's "color-contrast" rule, serious).
"""
from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urljoin

import pytest

from tests import tools

PAGES = {
    "home": "",
    "article": "2016/11/30/opec-agrees-first-output-cut-since-2008-as-brent-jumps-nearly-9-percent/",
    "term": "tags/markets/",
    "edition": "2016/11/09/",
    "month": "2016/11/",
    "archive": "archive/",
    "sources": "sources/",
    "search": "search/?q=vienna&tags=Markets",
}
FAILING = ("serious", "critical")
TAB_STOPS = 12


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    prebuilt = os.environ.get("DIGEST_CLIENTS_SITE")
    return Path(prebuilt).resolve() if prebuilt else tools.build_example(tmp_path_factory.mktemp("a11y"))


def _open(browser, url: str, scheme: str):
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    response = page.goto(url, wait_until="load")
    assert response is not None and response.ok, f"GET {url}: {response and response.status}"
    if "/search/" in url:  # wait for the results, so they and the filters are checked too
        page.wait_for_function("document.querySelector('[data-search-status]').textContent.length > 0")
    return context, page


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_no_serious_violations(browser, base_url, name, scheme):
    tools.axe_js()  # before the browser opens: a missing axe-core fails (or skips) first
    assert (tools.REPO_ROOT / "content").is_dir()
    context, page = _open(browser, urljoin(base_url, PAGES[name]), scheme)
    try:
        violations = tools.axe_violations(page)
    finally:
        context.close()
    bad = [v for v in violations if v.get("impact") in FAILING]
    lines = []
    for v in bad:
        targets = [", ".join(n["target"]) + ": " + (n.get("failureSummary") or "").replace("\n", " ")
                   for n in v["nodes"][:5]]
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}\n      " + "\n      ".join(targets))
    minor = sorted({f"{v['id']} ({v['impact']})" for v in violations if v not in bad})
    if minor:
        print(f"{name}/{scheme}: minor axe findings: {', '.join(minor)}")
    assert not lines, f"axe-core on {name} ({scheme}):\n  " + "\n  ".join(lines)


FOCUS_STYLE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(), text: (el.innerText || el.value || el.id || '').trim().slice(0, 40),
    outline: style.outlineStyle, width: parseFloat(style.outlineWidth), shadow: style.boxShadow,
    onScreen: box.width > 0 && box.height > 0 && box.right > 0 && box.bottom > 0
      && box.left < innerWidth + 1 && box.top < document.documentElement.scrollHeight,
  };
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", ["home", "article", "search"])
def test_keyboard_focus_is_visible(browser, base_url, name, scheme):
    context, page = _open(browser, urljoin(base_url, PAGES[name]), scheme)
    problems, seen = [], []
    try:
        for stop in range(1, TAB_STOPS + 1):
            page.keyboard.press("Tab")
            focus = page.evaluate(FOCUS_STYLE)
            if focus is None:
                break
            seen.append(f"{focus['tag']} {focus['text']!r}")
            ring = (focus["outline"] != "none" and focus["width"] >= 2) or focus["shadow"] not in ("", "none")
            if not ring:
                problems.append(f"tab stop {stop}, {seen[-1]}: no visible focus indicator "
                                f"(outline {focus['outline']} {focus['width']}px)")
            if not focus["onScreen"]:
                problems.append(f"tab stop {stop}, {seen[-1]}: focused but off screen")
    finally:
        context.close()
    assert len(seen) >= 3, f"{name}: Tab reached only {seen}"
    assert seen[0].startswith("a") and "Skip to content" in seen[0], f"{name}: first tab stop is {seen[0]}"
    assert not problems, f"{name} ({scheme}):\n  " + "\n  ".join(problems)
