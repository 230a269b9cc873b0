"""The fast Markdown parts render byte for byte what the stock markdown-it-py parser renders.

`reference_parser` is our configuration on the stock parser (digest.markdown.stock_parser)
and `reference_render` is digest.markdown.render as it was before digest/mdfast.py: every
test here renders an input both ways and compares the HTML and the first paragraph.
Inputs include the CommonMark spec examples and markdown-it-py's own fixtures
(tests/data/markdown_inputs.json).
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.common.normalize_url import normalizeLink
from markdown_it.token import Token

from digest import markdown
from digest.frontmatter import split
from digest.links import body_links
from digest.mdfast import normalize_link

ROOT = Path(__file__).resolve().parent.parent
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@lru_cache(maxsize=2)
def reference_parser(allow_html: bool) -> MarkdownIt:
    """digest.markdown.parser as it was: the stock parser, configured, nothing replaced."""
    return markdown.stock_parser(allow_html)


def reference_render(text: str, allow_html: bool) -> tuple[str, str]:
    """digest.markdown.render as it was: (html, first_paragraph)."""
    md = reference_parser(allow_html)
    tokens = md.parse(NOT_XML.sub("\ufffd", text))
    html = md.renderer.render(tokens, md.options, {})
    if allow_html:
        html = markdown.sanitize(html)
    return html, _first_paragraph(tokens)


def _plain_text(tokens: list[Token]) -> str:
    out: list[str] = []
    for token in tokens:
        if token.type in ("text", "code_inline"):
            out.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif token.children:
            out.append(_plain_text(token.children))
    return " ".join("".join(out).split())


def _first_paragraph(tokens: list[Token]) -> str:
    for i, token in enumerate(tokens):
        if token.type == "paragraph_open" and token.level == 0 and i + 1 < len(tokens):
            text = _plain_text(tokens[i + 1].children or [])
            if text:
                if len(text) <= 300:
                    return text
                return text[:300].rsplit(" ", 1)[0].rstrip(",;:.") + "…"
    return ""


def assert_same(text: str) -> None:
    for allow_html in (False, True):
        rendered = markdown.render(text, allow_html)
        assert (rendered.html, rendered.first_paragraph) == reference_render(text, allow_html), \
            (text, allow_html)
        fast_tokens = markdown.parser(allow_html).parse(text)
        stock_tokens = reference_parser(allow_html).parse(text)
        assert [t.as_dict() for t in fast_tokens] == [t.as_dict() for t in stock_tokens], text


TRICKY = [
    "",
    "\n\n\n",
    "plain",
    "*a **b** c* **a *b* c** ***x*** _a_ __b__ a*b*c a_b_c *a _b* c_ **a*",
    "*(*foo*)* **foo \"*bar*\" foo** _foo_bar_ *foo**bar**baz* ****a**** *****",
    "[link](https://example.org/a?b=1&c=2 \"Title &amp; more\") [x](</my uri>) [y](<a b>)",
    "[a](https://EXAMPLE.org/Ä) [b](http://xn--80ak6aa92e.com/) [c](https://пример.рф/путь)",
    "[a](https://a.example:8080/p) [b](https://user@a.example/) [c](//a.example/x) [d](HTTP://A.example)",
    "[a](foo%20bar) [b](foo%zz) [c](foo bar) [d](a\\)b) [e](a(b)c) [f](#frag) [g](?q=1) [h](</>)",
    "[a](mailto:x@y.example) [b](tel:+1) [c](ftp://h.example/f) [d](skype:name) [e](%E2%82%AC)",
    "[a](https://" + "x" * 64 + ".example/) [b](https://" + ("a." * 130) + "example/)",
    "[a](https://a..example/) [b](https://-a.example/) [c](https://a_b.example/) [d](https://a.example?x)",
    "[a](\\*x\\*) [b](&#106;avascript:alert(1)) [c](javascript:alert(1)) [d](data:text/html,hi)",
    "<https://autolink.example/a?b> <mailto:me@x.example> <me@x.example> <javascript:alert(1)>",
    "[ref] [ref][] [text][ref] [undefined]\n\n[ref]: https://ref.example/ 'Ref title'\n",
    "[ref]\n\n[ref]:\n  /url\n  \"title\"\n\n[ Ref ]: /other\n",
    "Text[^1] and^[inline note *em*] and [^missing].\n\n[^1]: The note.\n\n    More of it.\n",
    "[^a]: first\n[^b]: second\n\nUses [^b] then [^a] then [^b].\n",
    "| a | b |\n|---|:-:|\n| *1* | `2` |\n| 3 |\n\nafter",
    "a | b\n--|--\nc | d\n\n|x|\n|-|\n",
    "`code` `` co`de `` ``` ` ``` `unclosed\n\n    indented code\n\n```py\nfenced <b>\n```\n\n~~~\nx\n~~~",
    "~~strike~~ ~one~ ~~~three~~~ ~~a ~~b~~ c~~",
    "# One\n## Main\n### Main\n## Main\n#### Search query\n##### five\n## *Em* `code` [l](/x)",
    "Setext\n===\n\nOther\n---\n\n## Related heading\n## related-heading",
    "<div>\n*not md*\n</div>\n\n<script>alert(1)</script>\n\n<!-- c -->\n\nx <b>y</b> <span a=\"1\">z</span> <x",
    "<img src=x onerror=alert(1)> <a href=\"javascript:alert(1)\">x</a>\n\n<?php x ?>\n\n<![CDATA[ y ]]>",
    "> quote *em*\n> > nested\n> - item\n\n- a\n- b\n\n  para in b\n- c\n\n1. one\n2) two\n3. three",
    "- [ ] task\n* star\n+ plus\n\n10. ten\n11. eleven\n\n- a\n    - nested\n        - deeper",
    "line one  \nline two\\\nline three\nline four",
    "&amp; &copy; &#35; &#x22; &nosuch; &#0; &#xD800; \\* \\\\ \\` \\a",
    "***\n---\n___\n* * *\n\n- - -",
    "![img](https://i.example/a.png \"t\") ![alt *em*](/p.png) ![bad](javascript:x) ![ref]\n\n[ref]: /r.png",
    "[link *with **nested*** `code`](/u) [[nested]](/v) [a [b] c](/w) [x]()",
    "\ttab\n \t code?\n\n-\ttab item\n\n>\ttab quote",
    "a\r\nb\rc\r\n\r\nd\0e",
    "\x01bad \x0b control \ud800 surrogate \ufffe end",
    "Unicode: café *naïve* „quotes“ — dash ‘x’ 日本語 **强调**",
    "*a\nb*\n**c\nd**\n[e\nf](/g)",
    "foo*bar* *foo*bar _foo_bar __foo__bar **foo**bar",
    "1986\\. A great year.\n\n1986. A list\n\n+ a\n\n# heading #\n#notheading",
    "   # indented heading\n    # code\n\n  > quote",
    "<a href='https://a.example/'>a</a> <a  href=\"x\"\n>b</a>",
    "[a]: <>\n[b]: /x 'unterminated\n\n[a] [b]",
    "*" * 40 + "a" + "_" * 40 + "[" * 40 + "x" + "]" * 40,
    "[" * 25 + "x" + "](/y)" * 25,
]


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_inputs_render_as_stock(text):
    assert_same(text)


@pytest.mark.parametrize("path", sorted((ROOT / "content").glob("**/*.md")), ids=str)
def test_example_site_bodies_render_as_stock(path):
    assert_same(split(path.read_text(encoding="utf-8"), str(path)).body)


def test_bodies_used_by_other_tests_render_as_stock():
    from test_markdown import HOSTILE_HTML, HOSTILE_LINKS
    texts = [*HOSTILE_LINKS, HOSTILE_HTML]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests" / "clippings").glob("*.md"))]
    for text in texts:
        assert_same(text)


MARKDOWNISH = st.lists(st.sampled_from(list(
    "ab Z9.,;:!?'\"()[]{}<>*_~`#-+=|\\/&%^@\n\n\n  \t") + ["https://", "](", "[^", "^[", "**",
                                                      "&amp;", "é", "\u00a0", "<b>", "</b>",
                                                      "<!--", "-->", "```", "---", "1. ", "- ",
                                                      "> ", "    ", "|--|", "\r"]),
                       max_size=120).map("".join)


@settings(max_examples=1500, deadline=None)
@given(MARKDOWNISH)
def test_generated_documents_render_as_stock(text):
    assert_same(text)


URLISH = st.lists(st.sampled_from(list(
    "aZ09-._~:/?#[]@!$&'()*+,;=%\\ \"<>{}|^`éA") + ["http://", "https://", "//", "%2F", "%zz",
                                                   "xn--", "mailto:", "..", "@", ":80"]),
                  max_size=30).map("".join)


NEAR_PLAIN_URL = st.from_regex(r"(https?:)?(//)?[A-Za-z0-9.:@-]{0,70}([/?#][A-Za-z0-9%:/?#@.'-]{0,20})?",
                               fullmatch=True)


@settings(max_examples=3000, deadline=None)
@given(st.one_of(URLISH, NEAR_PLAIN_URL))
def test_normalize_link_is_the_stock_one(url):
    assert normalize_link(url) == normalizeLink(url)


def test_body_links_still_found():
    links = body_links("[a](/x)\n\n![b](https://i.example/b.png) [c][r]\n\n[r]: /r\n", 10)
    assert [(link.line, link.href, link.image) for link in links] == [
        (10, "/x", False), (12, "https://i.example/b.png", True), (12, "/r", False)]


def test_commonmark_spec_and_markdown_it_fixtures_render_as_stock():
    """The 652 CommonMark spec examples and markdown-it-py's own fixtures (tests/data, see its
    "source"), through both parsers."""
    data = json.loads((Path(__file__).parent / "data" / "markdown_inputs.json").read_text(encoding="utf-8"))
    assert len(data["inputs"]) > 1600
    for text in data["inputs"]:
        assert_same(text)


def test_other_library_versions_get_the_stock_parser(monkeypatch):
    """The fast parts reach into markdown-it-py's internals: only the proven versions get them."""
    import markdown_it
    from markdown_it import MarkdownIt
    from markdown_it.parser_inline import ParserInline

    from digest.mdfast import PROVEN, speed_up

    assert markdown_it.__version__ == PROVEN["markdown_it"]  # this suite checks the fast parts
    monkeypatch.setattr(markdown_it, "__version__", "99.0.0")
    md = speed_up(MarkdownIt("commonmark"))
    assert type(md.inline) is ParserInline
