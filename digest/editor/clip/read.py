"""A clipping's bytes → text with LF line ends, and what could not be read.

Clippings come as UTF-8 (with or without a BOM), as UTF-16 from Windows
Notepad's "Unicode", and as Windows-1252 from old tools (read with a
warning). A file that is not text at all (an image, a PDF, an archive,
given by mistake) is not read as text: turned into characters it would be
pages of garbage in the article. It reads as empty, and the draft made of
it says which kind of file it was, so the editor sees the mistake without
anything being published. An empty file reads as empty, and says so.
"""
from __future__ import annotations

import codecs
from dataclasses import dataclass

from digest.errors import DigestError

# The first bytes of files that are not text, and what to call them.
MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"), (b"%PDF-", "a PDF document"), (b"PK\x03\x04", "a ZIP archive (or a Word or "
    "OpenDocument file)"), (b"\x1f\x8b", "a gzip archive"), (b"\xd0\xcf\x11\xe0", "an old Word or Excel file"),
    (b"{\\rtf", "an RTF document"), (b"\x7fELF", "a program"), (b"MZ", "a Windows program"),
    (b"\x00\x00\x01\x00", "an icon"), (b"OggS", "an Ogg media file"), (b"ID3", "an MP3 file"),
)
WEBP = (b"RIFF", b"WEBP")
CONTROL = frozenset(range(0, 32)) - {9, 10, 12, 13}  # tab, LF, form feed and CR are text
SAMPLE = 8192  # bytes looked at to tell text from binary
MAX_CONTROL_SHARE = 0.01


@dataclass(frozen=True)
class Read:
    text: str  # LF line ends; '' when nothing could be read as text
    notes: tuple[DigestError, ...] = ()
    no_text: str | None = None  # why there is no text: 'the file is empty', 'the file is a PNG image'


def read_clipping(raw: bytes, name: str) -> Read:
    """The clipping's text, or an empty one that says why (empty, or not a text file)."""
    if not raw.strip():
        return Read("", no_text="the file is empty")
    kind = binary_kind(raw)
    if kind is not None:
        return Read("", no_text=f"the file is {kind}, not text")
    text, notes = decode(raw, name)
    return Read(text.replace("\r\n", "\n").replace("\r", "\n"), notes)


def binary_kind(raw: bytes) -> str | None:
    """What a file that is not text is ('a PNG image', 'binary data'); None for text."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    for magic, kind in MAGIC:
        if raw.startswith(magic):
            return kind
    if raw.startswith(WEBP[0]) and raw[8:12] == WEBP[1]:
        return "a WebP image"
    sample = raw[:SAMPLE]
    if b"\x00" in sample or sum(byte in CONTROL for byte in sample) > MAX_CONTROL_SHARE * len(sample):
        return "binary data"
    return None


def decode(raw: bytes, name: str) -> tuple[str, tuple[DigestError, ...]]:
    """UTF-8 (BOM or not), UTF-16 with a BOM, else Windows-1252 with a warning."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16", errors="replace"), ()
    try:
        return raw.decode("utf-8-sig"), ()
    except UnicodeDecodeError as exc:
        text = raw.decode("cp1252", errors="replace")
        line = raw.count(b"\n", 0, exc.start) + 1
        return text, (DigestError(name, "not UTF-8; read as Windows-1252", line=line, field="encoding",
                                  severity="warning", hint="check accented letters and quotes in the article"),)
