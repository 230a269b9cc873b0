"""The theme's Jinja environment: stock Jinja with digest's options, filters and caches.

Templates compile once per theme version; what each template loads by name is
found once and kept in the build cache; errors name the template's own line.
"""
from __future__ import annotations

import gc
import json
import weakref
from pathlib import Path
from typing import Any

import jinja2
import pytest
from markupsafe import Markup

from digest.render.theme import (
    REFERENCES,
    TEMPLATES,
    _template_frame,
    environment,
    template_references,
    xml_text,
)
from digest.render.views import TermLinks

VALUES: dict[str, Any] = {
    "d": {"title": "Fish & <Chips>", "source": {"name": "O'Reilly"}},
    "s": "<script>alert('x')</script>",
    "n": 42,
    "items": [{"title": "A & B"}, {"title": "<C>"}],
}


def ours(tmp_path: Path, templates: dict[str, str]) -> jinja2.Environment:
    root = tmp_path / "theme"
    for name, text in templates.items():
        path = root / TEMPLATES / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return environment((root,), str(tmp_path), "/")


def test_autoescapes_html_but_not_text_templates(tmp_path: Path) -> None:
    env = ours(tmp_path, {"page.html": "{{ s }}|{{ d.title }}|{{ m }}", "robots.txt": "{{ s }}"})
    values = {**VALUES, "m": Markup("<em>safe</em>")}
    assert env.get_template("page.html").render(values) == \
        "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;|Fish &amp; &lt;Chips&gt;|<em>safe</em>"
    assert env.get_template("robots.txt").render(values) == VALUES["s"]


def test_an_undefined_value_is_an_error(tmp_path: Path) -> None:
    env = ours(tmp_path, {"page.html": "{{ d.missing }}"})
    with pytest.raises(jinja2.UndefinedError, match="has no attribute 'missing'"):
        env.get_template("page.html").render(VALUES)


def test_errors_name_the_template_line(tmp_path: Path) -> None:
    """A failure names its own template's line, also inside an included partial."""
    templates = {"page.html": "<p>{{ d.title }}\n{{ s }}\n<b>{{ d.source.nope }}</b>\n{{ n }}</p>\n",
                 "partials/entry.html": "ok\n{{ item.nope }}\n",
                 "list.html": "{% for item in items %}\n{% include 'partials/entry.html' %}\n{% endfor %}\n"}
    env = ours(tmp_path, templates)
    with pytest.raises(jinja2.UndefinedError) as page:
        env.get_template("page.html").render(VALUES)
    assert _template_frame(page.value) == (str(tmp_path / "theme" / TEMPLATES / "page.html"), 3)
    with pytest.raises(jinja2.UndefinedError) as partial:
        env.get_template("list.html").render(VALUES)
    assert _template_frame(partial.value) == (str(tmp_path / "theme" / TEMPLATES / "partials/entry.html"), 2)


def test_xml_text_escapes_markup_again() -> None:
    assert xml_text(Markup("<p>a &amp; b</p>")) == "&lt;p&gt;a &amp;amp; b&lt;/p&gt;"
    assert xml_text(Markup("<p>a &amp; b</p>")) == "&lt;p&gt;a &amp;amp; b&lt;/p&gt;"  # memoised, same


def test_url_filter_follows_the_base_path(tmp_path: Path) -> None:
    ours(tmp_path, {"page.html": "{{ '/tags/x/'|url }} {{ 'a/b'|url }}"})
    env = environment((tmp_path / "theme",), str(tmp_path), "/sub/")
    assert env.get_template("page.html").render() == "/sub/tags/x/ /sub/a/b"


def test_term_links_do_not_keep_the_index_alive(site: Any) -> None:
    from digest.site.pipeline import prepare
    from digest.site.records import BuildOptions
    from tests.conftest import NOW

    site.article("content/a.md", {"title": "A", "tags": ["Économie", "C++"], "regions": ["Europe"]}, "Body.")
    prepared = prepare(site.root, BuildOptions(now=NOW))
    links = TermLinks.of(prepared.index, prepared.config)
    article = prepared.index.articles[0]
    groups = links.terms(article)
    assert [(g["taxonomy"], [t["url"] for t in g["items"]]) for g in groups] == [
        ("tags", ["/tags/economie/", "/tags/c-plus-plus/"]), ("regions", ["/regions/europe/"])]
    assert TermLinks.of(prepared.index, prepared.config) is links and links.terms(article) == groups
    index = weakref.ref(prepared.index)
    del prepared, article
    gc.collect()
    assert index() is None


def test_template_references_are_kept_in_the_build_cache(tmp_path: Path) -> None:
    templates = {"page.html": "{% extends 'base.html' %}{% include 'partials/a.html' %}",
                 "dynamic.html": "{% include name %}"}
    env = ours(tmp_path, templates)
    page = tmp_path / "theme" / TEMPLATES / "page.html"
    folder = tmp_path / "cache"
    assert template_references(env, "d1", page, folder) == ("base.html", "partials/a.html")
    assert json.loads((folder / REFERENCES / "d1").read_text()) == ["base.html", "partials/a.html"]
    assert template_references(env, "d2", tmp_path / "theme" / TEMPLATES / "dynamic.html", folder) is None
    (folder / REFERENCES / "d3").write_text('["kept.html"]')  # what an earlier build found
    assert template_references(env, "d3", page, folder) == ("kept.html",)
    (folder / REFERENCES / "d4").write_text("{damaged")
    assert template_references(env, "d4", page, folder) == ("base.html", "partials/a.html")
    assert template_references(env, "d5", page, None) == ("base.html", "partials/a.html")
