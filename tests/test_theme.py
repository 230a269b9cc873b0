"""Theme override: a site's theme/ replaces the default theme file by file."""
from __future__ import annotations

import re

from digest.render.theme import default_theme_dir

URL = "/2016/11/09/a/"


def stylesheet_href(page) -> str:
    return page.find("link", rel="stylesheet").get("href")


def test_default_theme(site):
    site.article("a.md", {"title": "A"})
    site.build()
    default_css = (default_theme_dir() / "static" / "style.css").read_bytes()
    assert (site.output / "static" / "style.css").read_bytes() == default_css
    assert re.fullmatch(r"/static/style\.css\?v=[0-9a-f]{10}", stylesheet_href(site.page(URL)))


def test_site_template_overrides_only_that_template(site):
    site.article("a.md", {"title": "A"})
    site.write("theme/templates/article.html",
               '{% extends "base.html" %}{% block main %}<h1 class="custom">Custom: {{ article.title }}</h1>'
               "{% endblock %}\n")
    site.build()
    page = site.page(URL)
    assert page.find("h1", cls="custom").text == "Custom: A"
    assert not page.has("section", cls="attribution")
    assert page.find("header", cls="site-header")  # base.html is still the default one
    home = site.page("/")
    assert not home.has("h1", cls="custom")
    assert home.find(cls="item-title").text == "A"


def test_site_partial_overrides_the_default_partial(site):
    site.article("a.md", {"title": "A"})
    site.write("theme/templates/partials/item.html",
               '<p class="my-item"><a href="{{ item.url|url }}">{{ item.title|upper }}</a></p>\n')
    site.build()
    home = site.page("/")
    assert home.find("p", cls="my-item").text == "A"
    assert not home.has("h2", cls="item-title")
    assert home.find("nav", cls="site-nav")  # the rest of the default theme is untouched
    assert site.page("/tags/").h1 == "Topics"


def test_site_base_template_applies_everywhere(site):
    site.article("a.md", {"title": "A"})
    site.write("theme/templates/base.html",
               '<!doctype html><html><head><title>{{ page.title }}</title></head>'
               '<body class="mine"><main>{% block main %}{% endblock %}</main></body></html>\n')
    site.build()
    for url in ("/", URL, "/tags/", "/2016/"):
        assert site.page(url).find("body").classes == ["mine"], url
    assert site.page(URL).find("section", cls="attribution")  # default article.html, site base


def test_site_stylesheet_overrides_the_default(site):
    site.article("a.md", {"title": "A"})
    site.build()
    default_href = stylesheet_href(site.page(URL))
    site.write("theme/static/style.css", "body { color: rebeccapurple; }\n")
    site.write("theme/static/img/logo.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    site.write("theme/static/.hidden", "secret")
    site.build()
    assert (site.output / "static" / "style.css").read_text() == "body { color: rebeccapurple; }\n"
    assert (site.output / "static" / "img" / "logo.svg").is_file()
    assert not (site.output / "static" / ".hidden").exists()
    assert stylesheet_href(site.page(URL)) != default_href  # the fingerprint follows the content


def test_theme_folder_name_from_config(make_site):
    site = make_site(theme="mytheme")
    site.article("a.md", {"title": "A"})
    site.write("mytheme/templates/partials/item.html", '<p class="mine">{{ item.title }}</p>\n')
    site.write("theme/templates/partials/item.html", '<p class="not-used">{{ item.title }}</p>\n')
    site.build()
    assert site.page("/").find("p", cls="mine").text == "A"
    assert not site.page("/").has("p", cls="not-used")


def test_overridden_feed_template(site):
    site.article("a.md", {"title": "A"})
    site.write("theme/templates/robots.txt", "User-agent: *\nDisallow: /\n")
    site.build()
    assert site.read("/robots.txt") == "User-agent: *\nDisallow: /\n"
    assert "<feed" in site.read("/feed.xml")


def test_missing_template_is_a_theme_error(site):
    site.article("a.md", {"title": "A"})
    site.write("theme/templates/article.html", '{% include "partials/nope.html" %}\n')
    result = site.cli("build")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "nope.html" in result.stderr
    assert not site.output.exists()
