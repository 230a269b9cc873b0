"""The seams docs/architecture.md promises, tried for real.

A new kind of page is one PageType and one template: a toy page type, added here
without touching digest/, is planned, rendered through a site theme's template,
listed in the sitemap, kept up to date by incremental builds, previewed in memory
and checked by `digest check`'s target. And the package has no import cycles.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from digest.errors import BuildFailed
from digest.incremental.cache import Store
from digest.site.model import Page
from digest.site.pagetype import PageType
from digest.site.pipeline import Into, Pipeline
from digest.site.routes import PAGE_TYPES
from tests.tools import REPO_ROOT

TEMPLATE = """{% extends "base.html" %}
{% block main %}
<h1>{{ page.title }}</h1>
<table class="outlet-count">
{% for name, count in rows %}<tr><th scope="row">{{ name }}</th><td>{{ count }}</td></tr>
{% endfor %}</table>
{% endblock %}
"""


def outlet_count_pages(index, config, now, before):
    rows = tuple(sorted(((t.name, len(t.articles)) for t in index.sources.values()), key=lambda r: (-r[1], r[0])))
    return [Page("/outlets/count/", "outlet-count.html", "outlet-count", (rows,))]


def outlet_count_view(page, views):
    title = "Articles per outlet"
    return {"page": {"kind": "outlet-count", "title": title, "heading": title, "url": page.url, "description": title,
                     "feed_url": None, "canonical": views.config.base_url + page.url.lstrip("/")},
            "rows": list(page.args[0])}


TOY = PageType("outlet count", outlet_count_pages, {"outlet-count": outlet_count_view})


def with_toy() -> tuple[PageType, ...]:
    """The site's page types with the toy one planned before the sitemap, so the sitemap lists it."""
    at = next(i for i, t in enumerate(PAGE_TYPES) if t.name == "sitemap")
    return (*PAGE_TYPES[:at], TOY, *PAGE_TYPES[at:])


@pytest.fixture
def toy_site(make_site):
    site = make_site()
    site.write("theme/templates/outlet-count.html", TEMPLATE)
    for n, outlet in enumerate(["The Guardian", "Reuters", "Reuters"]):
        site.article(f"a{n}.md", {"title": f"Story {n}", "date": f"2016-11-0{n + 1}",
                                  "source": {"name": outlet, "url": f"https://example.com/{n}"}})
    return site


def rows_of(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<th scope="row">([^<]*)</th><td>(\d+)</td>', html)


def test_a_toy_page_type_is_planned_rendered_and_listed(toy_site):
    site = toy_site
    Pipeline(site.root, site.output, Store(), site.options(), page_types=with_toy()).run()
    assert rows_of(site.read("/outlets/count/")) == [("Reuters", "2"), ("The Guardian", "1")]
    assert "/outlets/count/</loc>" in site.read("/sitemap.xml")
    assert site.exists("/2016/11/01/story-0/")  # the other page types are all still there


def test_the_toy_page_follows_edits_incrementally(toy_site):
    site = toy_site
    pipeline = Pipeline(site.root, site.output, Store(), site.options(), page_types=with_toy())
    pipeline.run()
    site.article("a0.md", {"title": "Story 0", "date": "2016-11-01",
                           "source": {"name": "Reuters", "url": "https://example.com/0"}})
    result = pipeline.run()
    assert rows_of(site.read("/outlets/count/")) == [("Reuters", "3")]
    assert 0 < result.rendered < result.pages  # only what the edit touched


def test_the_toy_page_type_previews_in_memory_and_checks_writing_nothing(toy_site):
    site = toy_site
    memory = Pipeline(site.root, None, Store(), site.options(), page_types=with_toy())
    memory.run()
    assert rows_of(memory.files["outlets/count/index.html"].decode()) == [("Reuters", "2"), ("The Guardian", "1")]
    checked = Pipeline(site.root, None, Store(), site.options(), into=Into.NOWHERE, page_types=with_toy()).run()
    assert checked.plan is not None and any(p.url == "/outlets/count/" for p in checked.plan.pages)
    assert not site.output.exists()


def test_a_toy_template_error_names_its_file_and_line(toy_site):
    site = toy_site
    site.write("theme/templates/outlet-count.html", TEMPLATE.replace("{{ count }}", "{{ count | nosuchfilter }}"))
    with pytest.raises(BuildFailed) as failed:
        Pipeline(site.root, site.output, Store(), site.options(), page_types=with_toy()).run()
    assert any("outlet-count.html" in str(e) and "nosuchfilter" in str(e) for e in failed.value.errors)
    assert not site.output.exists()  # a failed build publishes nothing


def test_without_the_toy_type_there_is_no_toy_page(toy_site):
    site = toy_site
    Pipeline(site.root, site.output, Store(), site.options()).run()
    assert not site.exists("/outlets/count/")


# ---------------------------------------------------------------- the package's shape


def imports_of(path: Path) -> set[str]:
    """Every digest module a file imports, at the top or inside a function (not under TYPE_CHECKING)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If)
                   and "TYPE_CHECKING" in ast.unparse(node.test) for n in ast.walk(node)}
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
    return found


def modules() -> dict[str, Path]:
    package = REPO_ROOT / "digest"
    found = {}
    for path in package.rglob("*.py"):
        parts = path.relative_to(REPO_ROOT).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def test_the_package_has_no_import_cycles():
    mods = modules()
    graph = {name: {m for m in imports_of(path) if m in mods and m != name} for name, path in mods.items()}
    # a module importing a package's __init__ does not import its siblings
    cycles = []
    state: dict[str, int] = {}

    def visit(name: str, trail: list[str]) -> None:
        state[name] = 1
        for nxt in sorted(graph[name]):
            if state.get(nxt) == 1:
                cycles.append(" → ".join(trail[trail.index(nxt):] + [name, nxt]) if nxt in trail else f"{name} → {nxt}")
            elif nxt not in state:
                visit(nxt, trail + [name])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [])
    assert cycles == []


def test_the_architecture_doc_names_only_modules_that_exist():
    text = (REPO_ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`(digest/[\w/]+\.(?:py|js))`", text))
    assert len(named) >= 10
    assert sorted(p for p in named if not (REPO_ROOT / p).is_file()) == []
