"""Article images: front-matter shape, files on disk, published copies, view data.

An article names one picture, ``image: {src: …, alt: …}``, with alt text
required. ``src`` is a path below ``content/`` (published at ``/media/…``), or
``/static/…`` for a file of the site's theme static folder (published there
already). Reading the front matter stays pure (``read_image``); whether the
file exists is checked on every build (``check_images``), so a cached article
whose picture was deleted still fails the build.
"""
from __future__ import annotations

import hashlib
import struct
import urllib.parse
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from digest.errors import ContentError, DigestError
from digest.site.config import Config
from digest.site.model import Article, Image

MEDIA = "media"
STATIC_PREFIX = "/static/"
TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".gif": "image/gif",
         ".webp": "image/webp", ".avif": "image/avif"}
KEYS = ("src", "alt", "caption", "credit")
Problem = tuple[str, str, str | None]  # field, message, hint
EXAMPLE = 'image: {src: images/summit.jpg, alt: "Delegates at the summit table"}'


def read_image(value: Any) -> tuple[Image | None, list[Problem]]:
    """The front-matter ``image`` mapping → Image, or the problems with it."""
    if value is None:
        return None, []
    if not isinstance(value, dict):
        return None, [("image", "must be a mapping with src and alt", EXAMPLE)]
    problems: list[Problem] = [("image", f"unknown key '{k}'", f"use {', '.join(KEYS)}")
                               for k in value if k not in KEYS]
    src, alt = value.get("src"), value.get("alt")
    if not isinstance(src, str) or not src.strip():
        problems.append(("image.src", "required: the picture's path", EXAMPLE))
    elif problem := _src_problem(src.strip()):
        problems.append(("image.src", problem, "a path below content/, or /static/… for the theme's static folder"))
    if not isinstance(alt, str) or not alt.strip():
        problems.append(("image.alt", "alt text is required when an image is given",
                         "describe what the picture shows, for readers who cannot see it"))
    extras = {k: value.get(k) for k in ("caption", "credit")}
    for key, text in extras.items():
        if text is not None and not isinstance(text, str):
            problems.append((f"image.{key}", "must be text", None))
    if problems:
        return None, problems
    assert isinstance(src, str) and isinstance(alt, str)
    return Image(src.strip(), " ".join(alt.split()),
                 *(" ".join(t.split()) or None if isinstance(t, str) else None for t in extras.values())), []


def _src_problem(src: str) -> str | None:
    rel = src[len(STATIC_PREFIX):] if src.startswith(STATIC_PREFIX) else src
    parts = rel.split("/")
    if ":" in src or "\\" in src or rel.startswith("/") or any(p in ("", ".", "..") for p in parts):
        return f"'{src}' is not a plain relative path"
    if any(p.startswith(".") for p in parts):
        return f"'{src}' names a hidden file"
    if Path(rel).suffix.lower() not in TYPES:
        return f"'{src}' is not a {', '.join(TYPES)} file"
    return None


def source_file(image: Image, config: Config) -> Path:
    if image.src.startswith(STATIC_PREFIX):
        return config.theme_dir / "static" / image.src[len(STATIC_PREFIX):]
    return config.content_dir / image.src


def published_path(image: Image) -> str:
    """Where the picture is in the output, as its file is named ('/media/my photo.png')."""
    if image.src.startswith(STATIC_PREFIX):
        return image.src
    return f"/{MEDIA}/{image.src}"


def image_url(image: Image) -> str:
    """Site-relative URL of the published picture, percent-encoded ('/media/my%20photo.png'):
    a file name may hold spaces or any letter, an href may not; servers decode it back."""
    return urllib.parse.quote(published_path(image), safe="/")


def check_images(articles: Iterable[Article], config: Config) -> list[DigestError]:
    """A build error for every picture that is missing, outside its folder or unreadable."""
    errors: list[DigestError] = []
    for article in articles:
        if article.image is None:
            continue
        path = source_file(article.image, config)
        static = article.image.src.startswith(STATIC_PREFIX)
        root = config.theme_dir / "static" if static else config.content_dir
        problem = None
        if not path.is_file():
            problem = f"image file not found: {path.relative_to(config.root).as_posix()}"
        elif not path.resolve().is_relative_to(root.resolve()):
            problem = f"'{article.image.src}' leads out of its folder (a symlink?)"
        elif path.suffix.lower() != ".avif" and dimensions(path) is None:
            problem = f"'{article.image.src}' is not a readable {TYPES[path.suffix.lower()]} picture"
        if problem:
            errors.append(ContentError(article.path, problem, line=article.lines.get("image"),
                                       field="image.src", hint="check the path: below content/, or /static/…"))
    return errors


def media_files(articles: Iterable[Article], config: Config) -> dict[str, tuple[str, Path]]:
    """Output path → (fingerprint, source file) of every content picture to publish;
    pictures from the static folder are published with it already."""
    found: dict[str, tuple[str, Path]] = {}
    for article in articles:
        image = article.image
        if image is None or image.src.startswith(STATIC_PREFIX):
            continue
        path = source_file(image, config)
        found[published_path(image).lstrip("/")] = ("media:" + hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest(), path)
    return dict(sorted(found.items()))


def picture_stats(articles: Iterable[Article], config: Config) -> dict[str, tuple[int, int]]:
    """Each content picture's file → (size, mtime), or (-1, -1) when missing: what a build that
    reads no article again checks to know that no picture changed either."""
    found: dict[str, tuple[int, int]] = {}
    for article in articles:
        if article.image is not None and not article.image.src.startswith(STATIC_PREFIX):
            path = source_file(article.image, config)
            found[str(path)] = stat_of(path)
    return found


def stat_of(path: Path) -> tuple[int, int]:
    try:
        info = path.stat()
    except OSError:
        return (-1, -1)
    return (info.st_size, info.st_mtime_ns)


def picture_stamp(article: Article, config: Config) -> bytes:
    """What an article's views take from its picture file (size, bytes): part of its
    fingerprint, so an incremental build re-renders its pages when the picture changes."""
    if article.image is None:
        return b""
    try:
        return hashlib.blake2b(source_file(article.image, config).read_bytes(), digest_size=16).digest()
    except OSError:
        return b"missing"


def image_view(article: Article, config: Config) -> dict[str, Any] | None:
    """What pages, feeds and metadata show of an article's picture."""
    image = article.image
    if image is None:
        return None
    path = source_file(image, config)
    size = dimensions(path) if path.is_file() else None
    url = image_url(image)
    return {
        "url": url, "abs_url": config.base_url + url.lstrip("/"), "alt": image.alt,
        "caption": image.caption, "credit": image.credit,
        "width": size[0] if size else None, "height": size[1] if size else None,
        "type": TYPES[path.suffix.lower()], "length": path.stat().st_size if path.is_file() else 0,
    }


# ---------------------------------------------------------------- sizes from file headers

def dimensions(path: Path) -> tuple[int, int] | None:
    """(width, height) read from a PNG, GIF, JPEG or WebP header; None if unreadable."""
    try:
        with path.open("rb") as f:
            head = f.read(512 * 1024)
    except OSError:
        return None
    for reader in (_png, _gif, _jpeg, _webp):
        try:
            size = reader(head)
        except (struct.error, IndexError):
            size = None
        if size and size[0] > 0 and size[1] > 0:
            return size
    return None


def _png(b: bytes) -> tuple[int, int] | None:
    if b[:8] == b"\x89PNG\r\n\x1a\n" and b[12:16] == b"IHDR":
        return struct.unpack(">II", b[16:24])
    return None


def _gif(b: bytes) -> tuple[int, int] | None:
    return struct.unpack("<HH", b[6:10]) if b[:6] in (b"GIF87a", b"GIF89a") else None


def _jpeg(b: bytes) -> tuple[int, int] | None:
    if b[:2] != b"\xff\xd8":
        return None
    i = 2
    while i + 9 < len(b):
        if b[i] != 0xFF:
            return None
        marker = b[i + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            i += 2
            continue
        length = struct.unpack(">H", b[i + 2:i + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", b[i + 5:i + 9])
            return width, height
        i += 2 + length
    return None


def _webp(b: bytes) -> tuple[int, int] | None:
    if b[:4] != b"RIFF" or b[8:12] != b"WEBP":
        return None
    chunk = b[12:16]
    if chunk == b"VP8 ":
        w, h = struct.unpack("<HH", b[26:30])
        return w & 0x3FFF, h & 0x3FFF
    if chunk == b"VP8L":
        bits = int.from_bytes(b[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X":
        return int.from_bytes(b[24:27], "little") + 1, int.from_bytes(b[27:30], "little") + 1
    return None
