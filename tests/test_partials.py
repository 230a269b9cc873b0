"""`partial()`: a fragment rendered once per build for the same values, and only when its
output cannot depend on the page (digest/render/partials.py)."""
from __future__ import annotations

import re

import jinja2
import jinja2.meta
import pytest

from digest.render.partials import Partials
from digest.render.theme import loaded, partial_names


def partials_env(templates: dict[str, str]) -> tuple[jinja2.Environment, Partials, list[str]]:
    """A real Jinja environment over `templates`, its Partials, and the log `tick(x)` writes to:
    each render of a template that calls tick shows up in the log."""
    log: list[str] = []
    env = jinja2.Environment(loader=jinja2.DictLoader(templates), undefined=jinja2.StrictUndefined,
                             autoescape=True)

    def tick(what: object) -> str:
        log.append(str(what))
        return ""

    env.globals["tick"] = tick

    def references(name: str) -> tuple[str, ...] | None:
        source, _, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
        ast = env.parse(source)
        names = [*jinja2.meta.find_referenced_templates(ast), *partial_names(ast)]
        return None if None in names else tuple(str(n) for n in names)

    partials = Partials(env, lambda name: loaded(name, references), {"site", "partial", *env.globals})
    env.globals["partial"] = partials
    return env, partials, log


def render(env: jinja2.Environment, name: str, **values: object) -> str:
    return env.get_template(name).render(site={"title": "S"}, **values)


ITEM = '{{ tick(item.title) }}<b>{{ item.title }}</b> of {{ site.title }}{% include "status.html" %}'
STATUS = '{% if item.draft %} (draft){% endif %}'


def test_same_values_render_once_from_the_second_time_on_and_the_output_is_the_includes():
    env, _, log = partials_env({
        "item.html": ITEM, "status.html": STATUS,
        "list.html": '{% for item in items %}[{{ partial("item.html", item=item) }}]{% endfor %}',
        "include.html": '{% for item in items %}[{% include "item.html" %}]{% endfor %}',
    })
    a, b = {"title": "A & B", "draft": True}, {"title": "C", "draft": False}
    items = [a, b, a, a, b, a]
    expected = render(env, "include.html", items=items)
    log.clear()
    assert render(env, "list.html", items=items) == expected
    assert "<b>A &amp; B</b> of S (draft)" in expected  # escaped once, as an include is
    assert log == ["A & B", "C", "A & B", "C"]  # kept on the second call: a, b twice each, then reused
    log.clear()
    assert render(env, "list.html", items=items) == expected  # a later page reuses it too
    assert log == []


def test_values_are_told_apart_by_identity_and_by_type():
    env, _, log = partials_env({"p.html": "{{ tick(n) }}{{ n }}/{{ item.title }}",
                                "page.html": '{{ partial("p.html", item=item, n=n) }}'})
    same_content = [{"title": "A"}, {"title": "A"}]
    out = [render(env, "page.html", item=item, n=n) for _ in range(3) for item in same_content
           for n in (1, True, 1.0)]
    assert out[:6] == ["1/A", "True/A", "1.0/A"] * 2
    assert out[6:] == out[:6] * 2
    assert len(log) == 12  # six distinct calls, each rendered twice before it is kept; never mixed up


def test_a_partial_that_reads_a_page_variable_is_rendered_on_every_page():
    env, _, log = partials_env({
        "item.html": '{{ tick(page) }}{{ item.title }} on {{ page }}',
        "page.html": '{{ partial("item.html", item=item) }}',
    })
    item = {"title": "A"}
    pages = [render(env, "page.html", item=item, page=f"/p{n}/") for n in range(4)]
    assert pages == [f"A on /p{n}/" for n in range(4)]
    assert log == ["/p0/", "/p1/", "/p2/", "/p3/"]


def test_a_page_variable_read_by_an_included_template_counts_too():
    env, _, log = partials_env({
        "item.html": '{{ item.title }}{% include "where.html" %}',
        "where.html": '{{ tick(page) }} on {{ page }}',
        "page.html": '{{ partial("item.html", item=item) }}',
    })
    item = {"title": "A"}
    assert [render(env, "page.html", item=item, page=p) for p in ("/x/", "/y/", "/x/")] == \
        ["A on /x/", "A on /y/", "A on /x/"]
    assert len(log) == 3


def test_a_name_the_page_does_not_set_does_not_stop_reuse():
    # the default theme's item.html reads `level|default(2)`; list pages set no `level`
    env, _, log = partials_env({
        "item.html": '{{ tick(item.title) }}<h{{ level|default(2) }}>{{ item.title }}</h{{ level|default(2) }}>',
        "page.html": '{{ partial("item.html", item=item) }}',
        "edition.html": '{{ partial("item.html", item=item, level=3) }}',
    })
    item = {"title": "A"}
    assert {render(env, "page.html", item=item) for _ in range(3)} == {"<h2>A</h2>"}
    assert {render(env, "edition.html", item=item) for _ in range(3)} == {"<h3>A</h3>"}
    assert log == ["A"] * 4
    log.clear()
    assert render(env, "page.html", item=item, level=4) == "<h4>A</h4>"  # now the page sets it
    assert render(env, "page.html", item=item, level=5) == "<h5>A</h5>"
    assert log == ["A", "A"]


def test_a_template_loaded_by_a_name_known_only_at_render_time_is_never_reused():
    env, partials, log = partials_env({
        "item.html": '{% include which %}',
        "one.html": '{{ tick(1) }}one', "two.html": '{{ tick(2) }}two',
        "page.html": '{{ partial("item.html", which=which) }}',
    })
    assert [render(env, "page.html", which=w) for w in ("one.html", "two.html", "one.html", "one.html")] == \
        ["one", "two", "one", "one"]
    assert len(log) == 4
    assert partials.reads_of("item.html") is None


def test_partial_names_lists_constant_names_and_none_for_a_computed_one():
    env = jinja2.Environment()
    ast = env.parse('{{ partial("a.html", x=1) }}{{ partial(name) }}{{ other("b.html") }}'
                    '{% for i in l %}{{ partial("c.xml", i=i) }}{% endfor %}')
    assert partial_names(ast) == ["a.html", None, "c.xml"]


def test_kept_output_stays_within_its_bound(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr("digest.render.partials.MEMORY", 100)
    env, partials, _ = partials_env({"p.html": "{{ item.title }}" + "x" * 30,
                                     "page.html": '{{ partial("p.html", item=item) }}'})
    items = [{"title": str(n)} for n in range(20)]
    for _ in range(2):
        for item in items:
            render(env, "page.html", item=item)
    assert 0 < partials.size <= 100
    assert len(partials.kept) == 3
    assert partials.size == sum(len(out) for out, _ in partials.kept.values())


# ---------------------------------------------------------------- through `digest build`, from the site folder


def items_of(html: str) -> list[str]:
    return re.findall(r'<p class="mine">(.*?)</p>', html)


def test_a_site_item_partial_reading_page_shows_each_page_its_own(site):
    for n, tag in enumerate(["x", "x", "y"]):
        site.article(f"a{n}.md", {"title": f"A{n}", "tags": [tag, "all"], "slug": f"a{n}"})
    site.write("theme/templates/partials/item.html",
               '<p class="mine">{{ item.title }} listed on {{ page.url }}</p>\n')
    assert site.cli("build").exit_code == 0
    assert sorted(items_of(site.read("/tags/all/"))) == [f"A{n} listed on /tags/all/" for n in range(3)]
    assert sorted(items_of(site.read("/tags/x/"))) == ["A0 listed on /tags/x/", "A1 listed on /tags/x/"]


def test_editing_a_partial_rebuilds_the_pages_that_render_it(site):
    site.article("a.md", {"title": "A", "tags": ["x"]})
    site.write("theme/templates/partials/item.html", '<p class="mine">{{ item.title }} v1</p>\n')
    assert site.cli("build").exit_code == 0
    assert items_of(site.read("/tags/x/")) == ["A v1"]
    site.write("theme/templates/partials/item.html", '<p class="mine">{{ item.title }} v2</p>\n')
    assert site.cli("build").exit_code == 0  # a new process: the closure comes from the build cache
    assert items_of(site.read("/tags/x/")) == ["A v2"]


def test_an_error_in_a_partial_names_the_partials_file_and_line(site):
    site.article("a.md", {"title": "A", "tags": ["x"]})
    site.write("theme/templates/partials/item.html", '<p>\n{{ item.title }}\n{{ item.nope.deeper }}\n</p>\n')
    ran = site.cli("build")
    assert ran.exit_code == 1
    errors = ran.output.splitlines()
    assert any(e.startswith("theme/templates/partials/item.html:3:") and "nope" in e for e in errors), ran.output


def test_a_missing_partial_is_named(site):
    site.article("a.md", {"title": "A", "tags": ["x"]})
    site.write("theme/templates/partials/edition.html", '{{ partial("partials/missing.html") }}\n')
    ran = site.cli("build")
    assert ran.exit_code == 1
    assert any("partials/missing.html" in e and "not found" in e for e in ran.output.splitlines()), ran.output
