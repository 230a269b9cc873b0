"""Markdown rendering and the safety of every page and feed: escaping, links, raw HTML."""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest
from conftest import HtmlPage

ATOM = "{http://www.w3.org/2005/Atom}"
URL = "/2016/11/09/a/"

# Dangerous links in as many disguises as we can think of.
HOSTILE_LINKS = [
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;avascript:alert(1))",
    "[x](javascript&#58;alert(1))",
    "[x](javascript&colon;alert(1))",
    "[x](%6Aavascript:alert(1))",
    "[x](%256Aavascript:alert(1))",
    "[x](java%0ascript:alert(1))",
    "[x](<java\tscript:alert(1)>)",
    "[x](<javascript:alert(1)>)",
    "<javascript:alert(1)>",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](DATA:text/html,<script>alert(1)</script>)",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    "[x][ref]\n\n[ref]: <data:text/html,hi>",
    "[x](\u200bjavascript:alert(1))",
    "[x](\x01javascript:alert(1))",
]


def body(site, text: str, **config) -> HtmlPage:
    site.write_config(**config)
    site.article("a.md", {"title": "A"}, text)
    site.build()
    return site.page(URL)


def hrefs(page: HtmlPage) -> list[str]:
    """Every URL-valued attribute anywhere on the page."""
    return [v for n in page.iter() for k, v in n.attrs.items()
            if k in ("href", "src", "action", "formaction", "srcset", "xlink:href") and v]


def scheme_of(url: str) -> str | None:
    cleaned = re.sub(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\ufeff]", "", url).lower()
    match = re.match(r"^([a-z][a-z0-9+.\-]*):", cleaned)
    return match.group(1) if match else None


def assert_no_script_urls(page: HtmlPage) -> None:
    for url in hrefs(page):
        assert scheme_of(url) in (None, "http", "https", "mailto", "tel", "ftp"), url


def assert_only_theme_scripts(page: HtmlPage) -> None:
    """No script element came from article data: a page's scripts are the theme's own files
    (src under /static/) or JSON-LD data blocks that parse as JSON and cannot close the element."""
    for script in page.find_all("script"):
        if script.get("src"):
            assert re.match(r"^(/[\w.-]+)*/static/", script.get("src")), script
            assert not script.text.strip(), script
        else:
            assert script.get("type") == "application/ld+json", script
            raw = "".join(c for c in script.children if isinstance(c, str))
            assert "<" not in raw, raw
            json.loads(raw)


def test_tables_footnotes_strikethrough(site):
    page = body(site, "| Currency | Change |\n|---|--:|\n| MXN | -8.1 % |\n\n"
                      "Brent rose ~~9~~ 8 percent.[^1]\n\n[^1]: According to traders.\n")
    article = page.find("div", cls="article-body")
    table = article.find("table")
    assert [th.text for th in table.find_all("th")] == ["Currency", "Change"]
    assert [td.text for td in table.find_all("td")] == ["MXN", "-8.1 %"]
    assert article.find("s").text == "9"
    ref = article.find("sup", cls="footnote-ref").find("a")
    note = article.find("li", cls="footnote-item")
    assert ref.get("href") == "#" + note.get("id")
    assert "According to traders." in note.text


def test_common_markdown(site):
    page = body(site, "## Heading\n\n*em* **strong** `code`\n\n> quote\n\n- one\n- two\n\n1. first\n\n"
                      "```\nblock <b>\n```\n\n[link](https://example.org/a?b=1&c=2) [rel](/tags/x/) "
                      "[mail](mailto:desk@example.org)\n")
    article = page.find("div", cls="article-body")
    assert article.find("h2").text == "Heading"
    assert (article.find("em").text, article.find("strong").text, article.find("code").text) == \
        ("em", "strong", "code")
    assert article.find("blockquote").text == "quote"
    assert [li.text for li in article.find("ul").find_all("li")] == ["one", "two"]
    assert article.find("pre").text == "block <b>"
    assert article.links() == {"link": "https://example.org/a?b=1&c=2", "rel": "/tags/x/",
                               "mail": "mailto:desk@example.org"}


def test_raw_html_is_escaped_by_default(site):
    page = body(site, "<script>alert(1)</script>\n\nText <b onmouseover=alert(1)>bold</b>\n\n"
                      "<img src=x onerror=alert(1)>\n")
    article = page.find("div", cls="article-body")
    assert not article.has("script")
    assert_only_theme_scripts(page)
    assert not article.has("b") and not article.has("img")
    assert "<script>alert(1)</script>" in article.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.source
    assert "onerror" not in "".join(str(n.attrs) for n in page.iter())


@pytest.mark.parametrize("text", HOSTILE_LINKS)
def test_no_script_links_are_emitted(site, text):
    page = body(site, text + "\n")
    assert_no_script_urls(page)
    feed = site.read("/feed.xml")
    content = ET.fromstring(feed.encode()).find(f"{ATOM}entry/{ATOM}content").text
    assert_no_script_urls(HtmlPage.parse(content))


@pytest.mark.parametrize("text", HOSTILE_LINKS)
def test_no_script_links_with_allow_html(site, text):
    assert_no_script_urls(body(site, text + "\n", allow_html=True))


def test_safe_links_are_kept(site):
    page = body(site, "[a](https://a.example/) [b](http://b.example/) [c](mailto:c@c.example) "
                      "[d](tel:+15550100) [e](/2016/) [f](#top) [g](other-page/) [h](ftp://files.example/)\n")
    assert page.find("div", cls="article-body").links() == {
        "a": "https://a.example/", "b": "http://b.example/", "c": "mailto:c@c.example",
        "d": "tel:+15550100", "e": "/2016/", "f": "#top", "g": "other-page/", "h": "ftp://files.example/"}


HOSTILE_HTML = """\
<script>alert("s")</script>
<p>Plain <b>bold</b> and <em>em</em>, <a href="https://ok.example/">a link</a>.</p>
<img src="https://img.example/x.png" alt="pic" onerror="alert('i')">
<a href="javascript:alert('a')">bad</a> <a href="JAVA&#x09;SCRIPT:alert(1)">bad2</a>
<a href="data:text/html,hi">bad3</a>
<div class="note" style="background:url(javascript:alert(1))" onclick="alert('c')">Note</div>
<iframe src="https://evil.example/"></iframe>
<svg><script>alert(1)</script></svg>
<form action="https://evil.example/"><input name="q"></form>
<table><tr><td>cell</td></tr></table>
"""


def test_allow_html_sanitizes(site):
    page = body(site, HOSTILE_HTML, allow_html=True)
    article = page.find("div", cls="article-body")
    # plain HTML is kept
    assert article.find("b").text == "bold" and article.find("em").text == "em"
    assert article.find("a", href="https://ok.example/").text == "a link"
    assert article.find("img").get("src") == "https://img.example/x.png"
    assert article.find("img").get("alt") == "pic"
    assert article.find("div", cls="note").text == "Note"
    assert article.find("td").text == "cell"
    # nothing that runs script survives
    assert not article.has("script") and not page.has("iframe") and not page.has("form")
    assert_only_theme_scripts(page)
    for node in page.iter():
        assert not any(k.startswith("on") for k in node.attrs), node
        assert "style" not in node.attrs or node.tag == "link"
    assert_no_script_urls(page)
    assert "alert" not in page.source


def test_allow_html_keeps_markdown_working(site):
    page = body(site, "Some *markdown* and <kbd>Ctrl</kbd>.\n\n| a |\n|---|\n| 1 |\n", allow_html=True)
    article = page.find("div", cls="article-body")
    assert article.find("em").text == "markdown"
    assert article.find("kbd").text == "Ctrl"
    assert article.find("td").text == "1"


# ---------------------------------------------------------------- autoescaping

NASTY_TITLE = "<img src=x onerror=alert(1)> & \"quotes\" 'too'"
NASTY_SOURCE = "Smith & \"Sons\" <Ltd>"


@pytest.fixture
def nasty(site):
    site.article("a.md", {"title": NASTY_TITLE, "summary": "<b>not bold</b> & co",
                          "authors": ["<script>x</script>"], "tags": ["<i>tag</i> & \"q\""],
                          "source": {"name": NASTY_SOURCE, "url": "https://smith.example/?a=1&b=\"2\""},
                          "via": {"name": "Via <b>Co</b>"}, "copyright": "© <Smith> & Sons"})
    site.article("b.md", {"title": "Neighbour", "date": "2016-11-10"})
    site.build()
    return site


def test_title_and_names_are_escaped_in_the_article_page(nasty):
    page = nasty.page("/2016/11/09/img-src-x-onerror-alert-1-and-quotes-too/")
    assert page.h1 == NASTY_TITLE
    assert page.title == NASTY_TITLE + " · Test Digest"
    assert page.find("p", cls="lede").text == "<b>not bold</b> & co"
    assert page.find("meta", name="description").get("content") == "<b>not bold</b> & co"
    assert page.find("span", cls="byline").text == "By <script>x</script>"
    source = page.find("p", cls="source")
    assert source.find("a").text == NASTY_SOURCE
    assert source.find("a").get("href") == "https://smith.example/?a=1&b=%222%22"  # serialized
    assert page.find("p", cls="via").text == "Via Via <b>Co</b>."
    assert page.find("p", cls="copyright").text == "© <Smith> & Sons"
    assert page.find("a", rel="tag").text == "<i>tag</i> & \"q\""
    # no element came from the data
    tags = {n.tag for n in page.iter()}
    assert "img" not in tags and "i" not in tags and "ltd" not in tags
    assert_only_theme_scripts(page)


@pytest.mark.parametrize("url", ["/", "/2016/11/09/", "/2016/11/", "/2016/", "/sources/",
                                 "/sources/smith-and-sons-ltd/", "/tags/",
                                 "/2016/11/10/neighbour/"])
def test_names_are_escaped_in_lists_and_neighbours(nasty, url):
    page = nasty.page(url)
    assert not {"img", "ltd", "i"} & {n.tag for n in page.iter()}
    assert_only_theme_scripts(page)
    texts = page.main.text
    assert NASTY_TITLE in texts or NASTY_SOURCE in texts or "<i>tag</i>" in texts


def test_names_are_escaped_in_feeds(nasty):
    for url in ("/feed.xml", "/sources/smith-and-sons-ltd/feed.xml"):
        root = ET.fromstring(nasty.read(url).encode())  # well-formed XML
        entry = next(e for e in root.findall(f"{ATOM}entry")
                     if e.find(f"{ATOM}title").text == NASTY_TITLE)
        assert entry.find(f"{ATOM}summary").text == "<b>not bold</b> & co"
        assert entry.find(f"{ATOM}link[@rel='via']").get("title") == NASTY_SOURCE
        assert [a.find(f"{ATOM}name").text for a in entry.findall(f"{ATOM}author")] == ["<script>x</script>"]
        assert entry.find(f"{ATOM}category").get("term") == "<i>tag</i> & \"q\""
        content = HtmlPage.parse(entry.find(f"{ATOM}content").text)
        assert content.find("a", href="https://smith.example/?a=1&b=%222%22").text == NASTY_SOURCE
        assert not {"img", "script", "ltd", "i"} & {n.tag for n in content.iter()}
    sources = ET.fromstring(nasty.read("/sources/smith-and-sons-ltd/feed.xml").encode())
    assert sources.find(f"{ATOM}title").text == f"Test Digest: {NASTY_SOURCE}"


def test_site_title_is_escaped(make_site):
    site = make_site(title="News & <Views>", description="\"Quoted\" & more")
    site.article("a.md", {"title": "A"})
    site.build()
    assert site.page("/").title == "News & <Views>"
    assert site.page("/").find("p", cls="site-title").text == "News & <Views>"
    root = ET.fromstring(site.read("/feed.xml").encode())
    assert root.find(f"{ATOM}title").text == "News & <Views>"
    assert root.find(f"{ATOM}subtitle").text == "\"Quoted\" & more"


def test_template_syntax_in_content_is_literal(site):
    site.article("a.md", {"title": "{{ 7*7 }} and {% raw %}", "summary": "{{ site.title }}",
                          "tags": ["{{ 7*7 }}"]},
                 "Body {{ 7*7 }} and {% if true %}x{% endif %} and {# c #}\n")
    site.build()
    url = [u for u in site.urls() if u.startswith("/2016/11/09/") and u.count("/") == 5][0]
    page = site.page(url)
    assert page.h1 == "{{ 7*7 }} and {% raw %}"
    assert page.find("p", cls="lede").text == "{{ site.title }}"
    assert page.find("div", cls="article-body").text == "Body {{ 7*7 }} and {% if true %}x{% endif %} and {# c #}"
    assert page.find("a", rel="tag").text == "{{ 7*7 }}"
    assert "49" not in page.main.text
    feed = ET.fromstring(site.read("/feed.xml").encode())
    assert feed.find(f"{ATOM}entry/{ATOM}title").text == "{{ 7*7 }} and {% raw %}"


def test_body_html_in_feed_is_escaped_exactly_once(site):
    site.article("a.md", {"title": "A"}, "Use `<b>` for bold & *this*.\n\n<script>x</script>\n")
    site.build()
    content = ET.fromstring(site.read("/feed.xml").encode()).find(f"{ATOM}entry/{ATOM}content")
    assert content.get("type") == "html"
    html = HtmlPage.parse(content.text)
    assert html.find("code").text == "<b>"
    assert html.find("em").text == "this"
    assert not html.has("script") and not html.has("b")
    assert "<script>x</script>" in html.text


def test_control_characters_in_a_body_keep_pages_and_feeds_well_formed(site):
    # e.g. a vertical tab pasted from a word processor, or a stray NUL
    site.article("a.md", {"title": "A"}, "Line\x0bbreak and \x01 and \x00 and tab\there.\n")
    site.build()
    root = ET.fromstring(site.read("/feed.xml").encode())  # would raise on an XML-forbidden character
    content = root.find(f"{ATOM}entry/{ATOM}content").text
    assert "Line\ufffdbreak" in content and "tab\there" in content
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", site.read(URL))
    assert site.page(URL).find("p", cls="lede").text.startswith("Line\ufffdbreak")


# ---------------------------------------------------------------- properties

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from digest.site.markdown import render  # noqa: E402

SCHEMEY = st.sampled_from(["javascript", "JavaScript", "data", "vbscript", "jav\tascript", "java\x00script",
                           "&#106;avascript", "%6Aavascript", "javascript&#58;", "java&#x0A;script"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scheme=SCHEMEY, sep=st.sampled_from([":", "&#58;", "%3A", "&colon;", ":\u200b"]),
       rest=st.text(max_size=20), form=st.integers(0, 3), allow_html=st.booleans())
def test_property_no_script_url_survives_rendering(scheme, sep, rest, form, allow_html):
    url = f"{scheme}{sep}alert(1){rest}"
    text = [f"[x]({url})", f"[x](<{url}>)", f"[x][r]\n\n[r]: <{url}>", f"<a href=\"{url}\">x</a>"][form]
    html = render(text, allow_html).html
    assert_no_script_urls(HtmlPage.parse(html))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_property_rendering_any_text_is_xml_safe_and_escaped(text):
    html = render(text).html
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", html)
    page = HtmlPage.parse(html)
    assert not {"script", "iframe", "object", "embed", "style"} & {n.tag for n in page.iter()}
    assert not any(k.startswith("on") for n in page.iter() for k in n.attrs)
    assert_no_script_urls(page)


def test_body_headings_never_reuse_the_theme_ids(site):
    site.article("a.md", {"title": "Ids"}, "## Main\n\ntext\n\n## Attribution heading\n\ntext\n\n## Main\n")
    site.build()
    (url,) = [u for u in site.urls() if u.startswith("/2016/11/09/") and u.count("/") == 5]
    ids = re.findall(r'\sid="([^"]+)"', site.read(url))
    assert len(ids) == len(set(ids)), sorted(ids)
    assert "main-section" in ids and "main" in ids


def test_body_links_are_found_with_their_file_lines():
    from digest.site.links import body_links

    links = body_links("[a](/x)\n\n![b](https://i.example/b.png) [c][r]\n\n[r]: /r\n", 10)
    assert [(link.line, link.href, link.image) for link in links] == [
        (10, "/x", False), (12, "https://i.example/b.png", True), (12, "/r", False)]


@pytest.mark.parametrize("url, link", [
    ("/a b", "/a%20b"), ("foo%zz", "foo%25zz"), ("#x#y", "#x%23y"), ("mailto:x@y.example", "mailto:x@y.example"),
    ("https://EXAMPLE.org/Ä", "https://example.org/%C3%84"), ("https://пример.рф/", "https://xn--e1afmkfd.xn--p1ai/")])
def test_links_are_written_as_valid_urls(url, link):
    from digest.site.markdown import normalize_link

    assert normalize_link(url) == link
