"""Every URL the site emits is a valid URL (digest/site/weburl.py), and every refused one says why.

Unit tables of hostile inputs with their exact serializations and errors, property
tests of the serializer, the errors editors see for articles and site.toml, and a
built site with hostile URLs everywhere, checked with the Nu HTML Checker, jing (RFC
4287 Atom schema), JSON-LD parsing and an HTTP client fetching the picture.
"""
from __future__ import annotations

import json
import re
import subprocess
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import ada_url
import pytest
from conftest import DROP, HtmlPage, Site
from hypothesis import given, settings
from hypothesis import strategies as st
from test_images import png

from digest.site.markdown import render
from digest.site.weburl import WebURLError, web_url
from tests import tools

SERIALIZED = [
    # what a browser repairs silently is repaired the same way
    ("https://x.example/story?a=1&b=<2>", "https://x.example/story?a=1&b=%3C2%3E"),
    ("https://x.example/a b?q=c d#e f", "https://x.example/a%20b?q=c%20d#e%20f"),
    ("  https://x.example/a \t", "https://x.example/a"),
    ('https://x.example/"q"', "https://x.example/%22q%22"),
    ("https://x.example/straße/ü?q=ü", "https://x.example/stra%C3%9Fe/%C3%BC?q=%C3%BC"),
    ("https://x.example/\u00a0x\u200b", "https://x.example/%C2%A0x%E2%80%8B"),
    ("https://Bücher.Example/", "https://xn--bcher-kva.example/"),
    ("https://日本.example/", "https://xn--wgv71a.example/"),
    ("HTTPS://X.EXAMPLE:443/A", "https://x.example/A"),
    ("http://x.example:80/", "http://x.example/"),
    ("https://x.example:8443/", "https://x.example:8443/"),
    ("https://x.example", "https://x.example/"),
    ("https://x.example/a/../b/./c", "https://x.example/b/c"),
    ("https://x.example\\a\\b", "https://x.example/a/b"),
    ("https://0x7f.1/", "https://127.0.0.1/"),
    ("https://[::1]:8080/", "https://[::1]:8080/"),
    # what the standard leaves bare but validators refuse is percent-encoded
    ("https://x.example/%zz%2", "https://x.example/%25zz%252"),
    ("https://x.example/100%", "https://x.example/100%25"),
    ("https://x.example/a|b^c[d]{e}`f", "https://x.example/a%7Cb%5Ec%5Bd%5D%7Be%7D%60f"),
    ("https://x.example/?q=a|b\\c", "https://x.example/?q=a%7Cb%5Cc"),
    ("https://x.example/#a#b|c", "https://x.example/#a%23b%7Cc"),
    # already serialized: unchanged
    ("https://x.example/a%20b?q=%3C#f", "https://x.example/a%20b?q=%3C#f"),
    ("https://x.example/a'b!$&()*+,;=:@~_-.?q=/?", "https://x.example/a'b!$&()*+,;=:@~_-.?q=/?"),
]

NO_WEB = "use an http:// or https:// address"
NO_HOST = "write https://host/path, e.g. https://news.example.com/"
CHECK = "check the address"
RETYPE = "type the address again, or paste it without the invisible character"
REFUSED = [
    ("", "is empty", "write the page's full address, starting with https://"),
    ("www.x.com/a", "'www.x.com/a' has no scheme", "add https:// in front: https://www.x.com/a"),
    ("x.com:8080/a", "'x.com:8080/a' has no scheme", "add https:// in front: https://x.com:8080/a"),
    ("//x.com/a", "'//x.com/a' has no scheme", "add https: in front: https://x.com/a"),
    ("https//x.com/a", "'https//x.com/a' is missing the ':' after 'https'", "write https://x.com/a"),
    ("ht tps://x.com/", "'ht tps://x.com/' has a space inside its scheme 'ht tps:'", "write https://x.com/"),
    ("/2016/11/a/", "'/2016/11/a/' is a relative address, not a full one",
     "write the page's full address, starting with https://"),
    ("#", "'#' is a placeholder, not an address", "paste the page's address, or remove the url"),
    ("ftp://x.example/a", "'ftp://x.example/a' is not a web address: its scheme is ftp:", NO_WEB),
    ("mailto:desk@x.example", "'mailto:desk@x.example' is not a web address: its scheme is mailto:", NO_WEB),
    ("JavaScript:alert(1)", "'JavaScript:alert(1)' is not a web address: its scheme is javascript:", NO_WEB),
    ("https://", "'https://' has no host", NO_HOST),
    ("https:///a", "'https:///a' has no host", NO_HOST),
    ("https://:80/", "'https://:80/' has no host", NO_HOST),
    ("https://user:pw@x.example/", "'https://user:pw@x.example/' contains a user name or password: 'user:pw@'",
     "remove 'user:pw@': published links must not carry credentials"),
    ("https://x.example:99999/", "'https://x.example:99999/' has port 99999; ports go up to 65535",
     "remove ':99999', or correct it"),
    ("https://x.example:8o/", "'https://x.example:8o/' has port '8o', which is not a number",
     "remove ':8o', or write the port in digits"),
    ("https://x example/", "'https://x example/' has a space in its host 'x example'",
     "a host holds only letters, digits, '-' and '.'; check the address"),
    ("https://x|y.example/", "'https://x|y.example/' has '|' in its host 'x|y.example'",
     "a host holds only letters, digits, '-' and '.'; check the address"),
    ("https://x.123/", "'https://x.123/' has an invalid host 'x.123'",
     "check the address: a host is a name such as news.example.com"),
    ("https://x..example/", "'https://x..example/' has two dots in a row, or a dot first, in its host "
     "'x..example'", CHECK),
    ("https://xn--zz.example/", "'https://xn--zz.example/' has an invalid punycode label 'xn--zz' in its host",
     CHECK),
    ("https://" + "a" * 64 + ".example/", f"'https://{'a' * 64}.example/' has a part longer than 63 characters "
     f"in its host: '{'a' * 20}…'", CHECK),
    ("https://x.example/a\tb", "'https://x.example/a\\u0009b' contains a control character, U+0009, "
     "at character 20", RETYPE),
    ("https://x.example/a\x85b", "'https://x.example/a\\u0085b' contains a control character, U+0085, "
     "at character 20", RETYPE),
]


@pytest.mark.parametrize("text, expected", SERIALIZED)
def test_serialized_as_browsers_do(text, expected):
    assert web_url(text) == expected


@pytest.mark.parametrize("text, problem, hint", REFUSED)
def test_refused_with_what_is_wrong(text, problem, hint):
    with pytest.raises(WebURLError) as info:
        web_url(text)
    assert (info.value.problem, info.value.hint) == (problem, hint)
    assert str(info.value) == f"{problem} ({hint})"


# ---------------------------------------------------------------- properties

# URL code points of ASCII (https://url.spec.whatwg.org/#url-code-points), '%' only before
# two hex digits, '#' once; '[' and ']' only around an IPv6 host.
SAFE = r"(?:[A-Za-z0-9!$&'()*+,\-./:;=?@_~]|%[0-9A-Fa-f]{2})"
VALID = re.compile(rf"https?://(?:\[[0-9a-f:.]+\]|[a-z0-9\-._~!$&'()*+,;=]+)(?::\d+)?/{SAFE}*(?:#{SAFE}*)?")
PIECES = st.sampled_from(list("aZ09-._~:/?#[]@!$&'()*+,;=%\\ \"<>{}|^`é\u00a0\u3002")
                         + ["%2F", "%zz", "%2e", "xn--", ":80", "..", "bücher", "\u200b", "[::1]", "日本"])
URLISH = st.one_of(
    st.tuples(st.sampled_from(["https://", "HTTP://", "https:", "https:///"]),
              st.lists(PIECES, max_size=30).map("".join)).map("".join),
    st.text(max_size=40).map(lambda t: "https://a.example/" + t),
)


@settings(max_examples=3000, deadline=None)
@given(URLISH)
def test_every_output_is_a_valid_fixed_point(text):
    try:
        url = web_url(text)
    except WebURLError:
        return
    assert web_url(url) == url
    assert VALID.fullmatch(url), url
    assert ada_url.URL(url).href == url  # what a browser would send is exactly what we publish


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=60))
def test_any_text_is_a_url_or_a_web_url_error(text):
    try:
        web_url(text)
    except WebURLError as exc:
        assert exc.problem and exc.hint


def test_raw_html_links_are_serialized_as_markdown_links_are():
    html = render('<a href="https://X.example/a b|c">a</a> <a href="https://x.example:99999/">b</a> '
                  '<img src="my photo.png" alt="c"> <a href="#x#y">d</a>', allow_html=True).html
    hrefs = re.findall(r'(?:href|src)="([^"]*)"', html)
    assert hrefs == ["https://x.example/a%20b%7Cc", "my%20photo.png", "#x%23y"]
    assert "<a rel=\"noopener noreferrer\">b</a>" in html  # no href rather than an invalid one


# ---------------------------------------------------------------- errors editors see


@pytest.mark.parametrize("url, error", [
    ("www.x.com/a", "source.url: 'www.x.com/a' has no scheme (add https:// in front: https://www.x.com/a)"),
    ("https://x.example:70000/a", "source.url: 'https://x.example:70000/a' has port 70000; ports go up to "
                                  "65535 (remove ':70000', or correct it)"),
    ("https://user@x.example/a", "source.url: 'https://user@x.example/a' contains a user name or password: "
                                 "'user@' (remove 'user@': published links must not carry credentials)"),
])
def test_article_url_errors_say_what_is_wrong(site, url, error):
    site.article("a.md", {"source": {"name": "Wire", "url": url}})
    assert site.build_errors() == [f"content/a.md:6: {error}"]


def test_a_url_with_a_space_is_published_encoded(site):
    site.article("a.md", {"source": {"name": "Wire", "url": "https://x.example/a b"}})
    site.build()
    assert site.page("/2016/11/09/an-article/").find("p", cls="source").find("a").get("href") == \
        "https://x.example/a%20b"


@pytest.mark.parametrize("overrides, error", [
    ({"base_url": "digest.example"},
     "site.toml:3: base_url: 'digest.example' has no scheme (add https:// in front: https://digest.example)"),
    ({"base_url": "https://digest.example/?lang=en"},
     "site.toml:3: base_url: 'https://digest.example/?lang=en' has a query or fragment: base_url is the site's "
     "folder (remove the '?…' or '#…' part, e.g. https://digest.example.org/)"),
    ({"sources": {"Wire": {"url": "https://wire.example:99999/"}}},
     "site.toml:21: sources.\"Wire\".url: 'https://wire.example:99999/' has port 99999; ports go up to 65535 "
     "(remove ':99999', or correct it)"),
])
def test_site_toml_url_errors_say_what_is_wrong(make_site, overrides, error):
    site = make_site(**overrides)
    assert site.build_errors() == [error]


# ---------------------------------------------------------------- a built site, with real clients

BASE = "https://Digest.Test:443/my digest"
BASE_SERIALIZED = "https://digest.test/my%20digest/"
SOURCE = "https://x.example/story?a=1&b=<2>"
SOURCE_SERIALIZED = "https://x.example/story?a=1&b=%3C2%3E"
VIA = "https://Bücher.Example/über uns|1"
VIA_SERIALIZED = "https://xn--bcher-kva.example/%C3%BCber%20uns%7C1"
OUTLET = "https://Andes.Example/wire|feed"
OUTLET_SERIALIZED = "https://andes.example/wire%7Cfeed"
PICTURE = "2016/my photo.png"
PICTURE_URL = "media/2016/my%20photo.png"
BODY = """Hostile links:
[quote](<https://a.example/?q="2" b>), [percent](https://a.example/%zz), [idn](https://bücher.example/ü),
[hashes](https://a.example/#x#y), [pipes](<https://a.example/a|b^c>), <https://a.example/auto|link>,
[relative](<../other page/#a#b>), [bad port](https://a.example:99999/).
"""
BODY_HREFS = ["https://a.example/?q=%222%22%20b", "https://a.example/%25zz",
              "https://xn--bcher-kva.example/%C3%BC", "https://a.example/#x%23y",
              "https://a.example/a%7Cb%5Ec", "https://a.example/auto%7Clink", "../other%20page/#a%23b"]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A site whose base_url, outlet, sources, vias, picture and body links are all hostile."""
    site = Site(tmp_path_factory.mktemp("hostile") / "site")
    site.write_config(base_url=BASE, rss=True, sources={"Andes Wire": {"url": OUTLET}})
    site.write(f"content/{PICTURE}", png(30, 20))
    site.article("a.md", {"title": "Hostile", "tags": ["Россия"],
                          "source": {"name": "Andes Wire", "url": SOURCE}, "via": {"name": "Bücher", "url": VIA},
                          "image": {"src": PICTURE, "alt": "A chart"}}, BODY)
    site.article("b.md", {"title": "Own", "original": "true", "source": DROP, "date": "2016-11-10",
                          "via": {"name": "Idn", "url": "https://日本.example/記事"}})
    site.build()
    return site


def _pages(site) -> list[Path]:
    return sorted(site.output.rglob("*.html"))


def test_hostile_urls_make_valid_html(hostile):
    """The Nu HTML Checker finds no error in any page (it rejected the raw URLs)."""
    messages, result = tools.nu_errors(_pages(hostile))
    errors = [f"{tools.nu_page(m).relative_to(hostile.output)}: {m.get('message')}" for m in messages]
    assert errors == [], "\n".join(errors)
    assert result.returncode == 0


def test_hostile_urls_make_valid_atom(hostile):
    jing = tools.jing_path()
    feeds = sorted(hostile.output.rglob("feed.xml"))
    result = subprocess.run([jing, "-c", str(tools.SCHEMAS_DIR / "atom.rnc"), *map(str, feeds)],
                            capture_output=True, text=True, timeout=600)
    problems = [ln for ln in (result.stdout + result.stderr).splitlines()
                if ln.strip() and not ln.startswith("[warning] ")]
    assert problems == [] and result.returncode == 0, "\n".join(problems)


def test_article_page_emits_serialized_urls(hostile):
    page = hostile.page("/2016/11/09/hostile/")
    assert page.find("p", cls="source").find("a").get("href") == SOURCE_SERIALIZED
    assert page.find("p", cls="via").find("a").get("href") == VIA_SERIALIZED
    assert page.find("link", rel="canonical").get("href") == SOURCE_SERIALIZED
    assert page.find("img", alt="A chart").get("src") == "/my%20digest/" + PICTURE_URL
    assert page.find("a", rel="tag").get("href") == "/my%20digest/tags/rossiia/"
    body = [a.get("href") for a in page.find("div", cls="article-body").find_all("a")]
    assert body == BODY_HREFS
    assert "[bad port](https://a.example:99999/)" in page.source  # never a link with an invalid href
    meta = {m.get("property"): m.get("content") for m in page.find_all("meta") if m.get("property")}
    assert meta["og:url"] == SOURCE_SERIALIZED
    assert meta["og:image"] == BASE_SERIALIZED + PICTURE_URL
    own = hostile.page("/2016/11/10/own/")
    assert own.find("p", cls="via").find("a").get("href") == "https://xn--wgv71a.example/%E8%A8%98%E4%BA%8B"
    assert own.find("link", rel="canonical").get("href") == BASE_SERIALIZED + "2016/11/10/own/"


def test_json_ld_holds_serialized_urls(hostile):
    (data,) = [json.loads(s.children[0]) for s in
               hostile.page("/2016/11/09/hostile/").find_all("script", type="application/ld+json")]
    assert data["isBasedOn"] == SOURCE_SERIALIZED
    assert data["sourceOrganization"]["url"] == OUTLET_SERIALIZED
    assert data["image"] == [BASE_SERIALIZED + PICTURE_URL]
    assert data["url"] == data["mainEntityOfPage"] == BASE_SERIALIZED + "2016/11/09/hostile/"
    assert data["publisher"]["url"] == BASE_SERIALIZED
    (home,) = [json.loads(s.children[0]) for s in hostile.page("/").find_all("script", type="application/ld+json")]
    assert home["url"] == BASE_SERIALIZED


def test_feeds_and_sitemap_hold_serialized_urls(hostile):
    atom = "{http://www.w3.org/2005/Atom}"
    root = ET.parse(hostile.output / "feed.xml").getroot()
    entry = next(e for e in root.findall(f"{atom}entry") if e.find(f"{atom}title").text == "Hostile")
    links = {link.get("rel"): link.get("href") for link in entry.findall(f"{atom}link")}
    assert links["via"] == SOURCE_SERIALIZED
    assert links["enclosure"] == BASE_SERIALIZED + PICTURE_URL
    assert links["alternate"] == entry.find(f"{atom}id").text == BASE_SERIALIZED + "2016/11/09/hostile/"
    content = HtmlPage.parse(entry.find(f"{atom}content").text)
    assert {a.get("href") for a in content.find_all("a")} >= {SOURCE_SERIALIZED, VIA_SERIALIZED, *BODY_HREFS[:6]}
    rss = ET.parse(hostile.output / "rss.xml").getroot()
    assert {e.text for e in rss.iter("link")} >= {BASE_SERIALIZED, BASE_SERIALIZED + "2016/11/09/hostile/"}
    sitemap = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locs = [loc.text for loc in ET.parse(hostile.output / "sitemap.xml").getroot().iter(f"{sitemap}loc")]
    assert locs and all(loc.startswith(BASE_SERIALIZED) and web_url(loc) == loc for loc in locs)


def test_every_absolute_url_emitted_is_serialized(hostile):
    """Whatever page or feed: an absolute http(s) URL in href, src, content or JSON-LD is its own
    serialization (so nothing raw slipped through another path)."""
    found = 0
    for path in [*_pages(hostile), *hostile.output.rglob("*.xml")]:
        text = path.read_text(encoding="utf-8")
        for url in re.findall(r"""(?:href|src|content)="(https?://[^"]*)"|"(https?://[^"\\]*)\"""", text):
            url = (url[0] or url[1]).replace("&amp;", "&")
            if "{" not in url and url != "https://schema.org":  # a URL template; JSON-LD's @context
                found += 1
                assert web_url(url) == url, (path.name, url)
    assert found > 50


def test_the_picture_is_served_at_its_encoded_url(hostile):
    assert (hostile.output / "media" / PICTURE).is_file()  # the file keeps its name
    with tools.serve_directory(hostile.output) as base:
        with urllib.request.urlopen(base + PICTURE_URL, timeout=10) as response:
            assert response.read() == (hostile.root / "content" / PICTURE).read_bytes()
