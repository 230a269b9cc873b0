"""The shortcuts digest/theme.py takes in compiled templates give Jinja's own output.

Each template here is rendered twice: by digest's environment (custom code
generator and context) and by a stock Jinja environment with the same options;
the two must agree byte for byte, and fail the same way.
"""
from __future__ import annotations

import gc
import weakref
from pathlib import Path
from typing import Any

import jinja2
import pytest
from markupsafe import Markup, escape

from digest.theme import TEMPLATES, _template_frame, environment, escape_text, xml_text
from digest.views import TermLinks

PARTIALS = {
    "partials/entry.html": "<i>{{ item.title }}</i>{% set local = 'x' %}{{ local }}{{ outer }}",
    "partials/status.html": "{% set it = item if item is defined else article %}{{ it.draft }}",
    "macros.html": "{% macro link(x) %}<a href=\"{{ x.url }}\">{{ x.title }}</a>{% endmacro %}{% set top = 1 %}",
}

CASES = {
    "dict keys and dict methods": "{{ d.title }}|{{ d['title'] }}|{{ d.items is defined }}|{{ d.get('title') }}",
    "nested and non-dict attributes": "{{ d.source.name }}|{{ s.upper() }}|{{ n.real }}",
    "escaping": "{{ s }}|{{ m }}|{{ n }}|{{ none }}|{{ d.title ~ '<' }}|{{ html }}",
    "autoescape off": "{% autoescape false %}{{ s }}{{ m }}{% endautoescape %}{{ s }}",
    "set blocks": "{% set x %}<b>{{ s }}</b>{{ m }}{% endset %}{{ x }}|{{ x|length }}",
    "includes in loops": "{% set outer = 'o' %}{% for item in items %}[{% include 'partials/entry.html' %}]{% endfor %}"
                         "{{ local is defined }}",
    "include in a set block": "{% set out %}{% for item in items %}{% include 'partials/entry.html' %}{% endfor %}"
                              "{% endset %}{{ out|upper }}",
    "nested includes": "{% for item in items %}{% include 'partials/status.html' %}{% endfor %}"
                       "{% include 'partials/status.html' %}",
    "imports and macros": "{% import 'macros.html' as m %}{% from 'macros.html' import link %}"
                          "{{ m.link(d) }}{{ link(d) }}{{ m.top }}",
    "filters and tests": "{% filter upper %}{{ s }}{% endfilter %}{{ items|map(attribute='title')|join(',') }}"
                         "{{ d.title|default('x') }}{{ items|selectattr('draft')|list|length }}",
    "loops": "{% for k, v in d|dictsort if v is string %}{{ loop.index }}{{ k }}={{ v }};{% else %}none{% endfor %}",
    "blocks": "{% block a %}{{ s }}{% block b scoped %}{{ d.title }}{% endblock %}{% endblock %}",
}

VALUES: dict[str, Any] = {
    "d": {"title": "Fish & <Chips>", "url": "/a?b=1&c=2", "source": {"name": "O'Reilly \"Times\""}},
    "s": "<script>alert('x')</script>",
    "m": Markup("<em>safe</em>"),
    "n": 42,
    "none": None,
    "html": type("Html", (), {"__html__": lambda self: "<b>own</b>"})(),
    "items": [{"title": "A & B", "draft": True}, {"title": "<C>", "draft": False}],
    "article": {"draft": "yes"},
    "outer": "<o>",
}


def stock(templates: dict[str, str]) -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.DictLoader(templates), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                              keep_trailing_newline=True)


def ours(tmp_path: Path, templates: dict[str, str]) -> jinja2.Environment:
    root = tmp_path / "theme"
    for name, text in templates.items():
        path = root / TEMPLATES / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return environment((root,), str(tmp_path), "/")


@pytest.mark.parametrize("source", CASES.values(), ids=CASES.keys())
def test_same_output_as_stock_jinja(tmp_path: Path, source: str) -> None:
    templates = {**PARTIALS, "page.html": source}
    expected = stock(templates).get_template("page.html").render(VALUES)
    assert ours(tmp_path, templates).get_template("page.html").render(VALUES) == expected


@pytest.mark.parametrize("source", ["{{ d.missing }}", "{{ d.source.missing.x }}", "{{ nothing }}",
                                    "{% for item in items %}{{ item.nope }}{% endfor %}"])
def test_same_errors_as_stock_jinja(tmp_path: Path, source: str) -> None:
    templates = {"page.html": source}
    with pytest.raises(jinja2.UndefinedError) as expected:
        stock(templates).get_template("page.html").render(VALUES)
    with pytest.raises(jinja2.UndefinedError) as got:
        ours(tmp_path, templates).get_template("page.html").render(VALUES)
    assert str(got.value) == str(expected.value)


def test_errors_name_the_template_line(tmp_path: Path) -> None:
    """One run of text and `{{ }}` is yielded at once, yet a failure still names its own line."""
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


@pytest.mark.parametrize("value", ["plain", "<a href='x'>&\"</a>", "", Markup("<b>&amp;</b>"), 3, 2.5, None,
                                   VALUES["html"], type("S", (str,), {})("<sub>")])
def test_escape_text_is_markupsafe_escape(value: object) -> None:
    assert escape_text(value) == str(escape(value))


def test_xml_text_escapes_markup_again() -> None:
    assert xml_text(Markup("<p>a &amp; b</p>")) == "&lt;p&gt;a &amp;amp; b&lt;/p&gt;"
    assert xml_text(Markup("<p>a &amp; b</p>")) == "&lt;p&gt;a &amp;amp; b&lt;/p&gt;"  # memoised, same


def test_url_filter_follows_the_base_path(tmp_path: Path) -> None:
    ours(tmp_path, {"page.html": "{{ '/tags/x/'|url }} {{ 'a/b'|url }}"})
    env = environment((tmp_path / "theme",), str(tmp_path), "/sub/")
    assert env.get_template("page.html").render() == "/sub/tags/x/ /sub/a/b"


def test_term_links_do_not_keep_the_index_alive(site: Any) -> None:
    from digest.build import BuildOptions, Timings, prepare
    from tests.conftest import NOW

    site.article("content/a.md", {"title": "A", "tags": ["Économie", "C++"], "regions": ["Europe"]}, "Body.")
    prepared = prepare(site.root, BuildOptions(now=NOW), Timings())
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


def test_the_installed_jinja_gets_the_compiler_shortcuts() -> None:
    """The shortcuts are used only with the Jinja release they were proven against; when the
    installed one differs, this fails so that the comparisons above are run against it first."""
    from digest.theme import PROVEN_JINJA, _CodeGenerator

    assert jinja2.__version__ == PROVEN_JINJA
    env = environment((Path(__file__).parent.parent / "theme",))
    assert env.code_generator_class is _CodeGenerator
