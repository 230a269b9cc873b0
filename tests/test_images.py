"""Article images: copied, shown with their alt text, in feeds and link previews; every mistake is a build error."""
from __future__ import annotations

import json
import struct
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import pytest
from conftest import BASE_URL

from digest.site.images import dimensions

URL = "/2016/11/09/an-article/"
ATOM = "{http://www.w3.org/2005/Atom}"
IMAGE = {"src": "pictures/summit.png", "alt": "Delegates around the summit table",
         "caption": "The summit opened on Monday.", "credit": "Photo: Jane Doe / Example Times"}


def png(width: int, height: int) -> bytes:
    """A valid, tiny, single-colour PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"\x80\x80\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def jpeg_header(width: int, height: int) -> bytes:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof0 = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + sof0 + b"\xff\xd9"


@pytest.fixture
def pictured(site):
    site.write("content/pictures/summit.png", png(40, 21))
    site.article("a.md", {"image": IMAGE, "summary": "Leaders met."})
    site.build()
    return site


def test_picture_is_copied_and_shown_with_alt_text(pictured):
    assert (pictured.output / "media/pictures/summit.png").read_bytes() == png(40, 21)
    figure = pictured.page(URL).find("figure", cls="article-image")
    img = figure.find("img")
    assert img.get("src") == "/media/pictures/summit.png"
    assert img.get("alt") == "Delegates around the summit table"
    assert (img.get("width"), img.get("height")) == ("40", "21")
    assert figure.find("figcaption").text == "The summit opened on Monday. Photo: Jane Doe / Example Times"


def test_picture_in_link_previews_and_json_ld(pictured):
    page = pictured.page(URL)
    meta = {m.get("property") or m.get("name"): m.get("content") for m in page.find_all("meta")}
    assert meta["og:image"] == BASE_URL + "media/pictures/summit.png"
    assert meta["og:image:alt"] == "Delegates around the summit table"
    assert (meta["og:image:width"], meta["og:image:height"], meta["og:image:type"]) == ("40", "21", "image/png")
    assert meta["twitter:card"] == "summary_large_image"
    assert meta["twitter:image"] == BASE_URL + "media/pictures/summit.png"
    data = json.loads(page.find("script", type="application/ld+json").children[0])
    assert data["image"] == [BASE_URL + "media/pictures/summit.png"]


def test_picture_in_the_feed(pictured):
    entry = ET.parse(pictured.output / "feed.xml").getroot().find(f"{ATOM}entry")
    enclosure = [link for link in entry.findall(f"{ATOM}link") if link.get("rel") == "enclosure"]
    assert len(enclosure) == 1
    assert enclosure[0].get("href") == BASE_URL + "media/pictures/summit.png"
    assert enclosure[0].get("type") == "image/png"
    assert enclosure[0].get("length") == str(len(png(40, 21)))
    content = entry.find(f"{ATOM}content").text
    assert f'<img src="{BASE_URL}media/pictures/summit.png" alt="Delegates around the summit table"' in content


def test_picture_from_the_themes_static_folder(site):
    site.write("theme/static/logo.png", png(8, 8))
    site.article("a.md", {"image": {"src": "/static/logo.png", "alt": "Our logo"}})
    site.build()
    assert site.page(URL).find("figure").find("img").get("src") == "/static/logo.png"
    assert (site.output / "static/logo.png").is_file()
    assert not (site.output / "media").exists()


def test_no_image_no_figure(site):
    site.article("a.md")
    site.build()
    assert not site.page(URL).has("figure")


@pytest.mark.parametrize("image, field, message", [
    ({"src": "pictures/summit.png"}, "image.alt", "alt text is required when an image is given"),
    ({"src": "pictures/summit.png", "alt": "  "}, "image.alt", "alt text is required"),
    ({"alt": "A picture"}, "image.src", "required: the picture's path"),
    ({"src": "pictures/missing.png", "alt": "A picture"}, "image.src",
     "image file not found: content/pictures/missing.png"),
    ({"src": "../site.toml.png", "alt": "A picture"}, "image.src", "is not a plain relative path"),
    ({"src": "/etc/passwd.png", "alt": "A picture"}, "image.src", "is not a plain relative path"),
    ({"src": "https://example.org/a.png", "alt": "A picture"}, "image.src", "is not a plain relative path"),
    ({"src": "pictures/drawing.svg", "alt": "A picture"}, "image.src", "is not a .jpg, .jpeg, .png"),
    ({"src": "pictures/.hidden.png", "alt": "A picture"}, "image.src", "names a hidden file"),
    ({"src": "pictures/fake.png", "alt": "A picture"}, "image.src", "is not a readable image/png picture"),
    ({"src": "pictures/summit.png", "alt": "A", "title": "x"}, "image", "unknown key 'title'"),
    ("pictures/summit.png", "image", "must be a mapping with src and alt"),
])
def test_image_mistakes_are_build_errors_naming_file_line_and_field(site, image, field, message):
    site.write("content/pictures/summit.png", png(4, 4))
    site.write("content/pictures/fake.png", b"not a picture at all")
    site.article("a.md", f"title: A\ndate: 2016-11-09\nsource: {{name: X}}\nimage: {json.dumps(image)}\n")
    errors = site.build_errors()
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"content/a.md:5: {field}: "), errors[0]
    assert message in errors[0]
    assert not site.output.exists()


def test_picture_symlinked_out_of_content_is_refused(site, tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(png(2, 2))
    (site.root / "content/pictures").mkdir(parents=True)
    (site.root / "content/pictures/link.png").symlink_to(secret)
    site.article("a.md", {"image": {"src": "pictures/link.png", "alt": "A"}})
    errors = site.build_errors()
    assert any("leads out of its folder" in e for e in errors), errors


def test_draft_with_a_missing_picture_does_not_stop_the_build(site):
    site.article("a.md")
    site.article("b.md", {"title": "B", "draft": "true", "image": {"src": "gone.png", "alt": "Gone"}})
    site.build()
    assert site.exists(URL)


@pytest.mark.parametrize("data, size", [
    (png(640, 480), (640, 480)),
    (b"GIF89a" + struct.pack("<HH", 320, 200) + b"\x00" * 20, (320, 200)),
    (jpeg_header(1200, 630), (1200, 630)),
    (b"RIFF\x00\x00\x00\x00WEBPVP8X" + b"\x00" * 8 + (799).to_bytes(3, "little") + (599).to_bytes(3, "little"),
     (800, 600)),
    (b"not an image", None),
])
def test_dimensions_from_headers(tmp_path: Path, data, size):
    path = tmp_path / "picture"
    path.write_bytes(data)
    assert dimensions(path) == size


def test_replacing_a_picture_is_seen_though_no_article_changed(pictured):
    """A build whose article files all stat as before (no file to read) still checks the
    pictures its pages show: a replaced one is a change."""
    import os
    import time

    past = time.time() - 60
    article = pictured.root / "content" / "a.md"
    os.utime(article, (past, past))
    pictured.build()  # reads a.md once more; its stat is trusted from now on
    before = pictured.tree()
    pictured.build()
    assert pictured.tree() == before
    pictured.write("content/pictures/summit.png", png(64, 48))
    os.utime(pictured.root / "content/pictures/summit.png", (past + 1, past + 1))  # not racy: only its stat tells
    pictured.build()
    img = pictured.page(URL).find("figure").find("img")
    assert (img.get("width"), img.get("height")) == ("64", "48")
    assert (pictured.output / "media/pictures/summit.png").read_bytes() == png(64, 48)


def test_replacing_a_picture_updates_its_pages_in_an_incremental_build(pictured):
    pictured.write("content/pictures/summit.png", png(64, 48))
    pictured.build()
    img = pictured.page(URL).find("figure").find("img")
    assert (img.get("width"), img.get("height")) == ("64", "48")
    assert (pictured.output / "media/pictures/summit.png").read_bytes() == png(64, 48)
    feed = pictured.read("/feed.xml")
    assert f'length="{len(png(64, 48))}"' in feed
