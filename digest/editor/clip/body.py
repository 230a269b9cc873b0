"""The story's paragraphs without what the news page put between them.

    furniture    'Advertisement', 'Read more: …', share rows: removed
    captions     'Photo: X/Reuters', 'Image caption, …', '(AP Photo/X)', a caption
                 ending in 'Photograph: X/AP': removed (never the summary)
    desk credits 'Reporting by X; Editing by Y': removed; the reporters are kept
                 as a fallback byline
    images       never hotlinked: `![alt](https://…)` becomes a link line to the
                 original, `[Image: alt](https://…)`, with the caption under it
                 folded into the text; an image without a web address is dropped.
                 Downloading needs the network and a licence decision; a link
                 credits the original and stays correct. The importer warns.
    links        placeholders (`#`, `javascript:…`) become their text; relative
                 ones become absolute against the clipped page, or text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from digest.editor.clip.lines import caption, chrome
from digest.editor.clip.names import desk_credit
from digest.editor.clip.text import plain, web_href

Row = tuple[int, str]
IMAGE = re.compile(r"\[!\[([^\[\]]{0,2000})\]\(\s*<?((?:[^()\s<>]|\([^()\s]{0,200}\)){0,2000})>?(?:\s+\"[^\"]*\")?\s*\)\]\([^)]*\)"
                   r"|!\[([^\[\]]{0,2000})\]\(\s*<?((?:[^()\s<>]|\([^()\s]{0,200}\)){0,2000})>?(?:\s+\"[^\"]*\")?\s*\)")
LINK = re.compile(r"(?<!!)\[([^\[\]]{0,2000})\]\(\s*<?((?:[^()\s<>]|\([^()\s]{0,200}\)){0,2000})>?((?:\s+\"[^\"]*\")?)\s*\)")
IMAGE_LINE = re.compile(r"^\[Image(?::[^\]]*)?\]\([^)]*\)$")


@dataclass(frozen=True)
class Body:
    blocks: tuple[tuple[Row, ...], ...]  # the story, as (line number, text) rows per paragraph
    removed: frozenset[int]  # lines left out
    images: tuple[int, ...]  # lines of images turned into links
    reporters: tuple[str, ...]  # from 'Reporting by …'


def clean(blocks: list[list[Row]], page: str | None) -> Body:
    """The story's blocks with furniture, captions and desk credits out, images and links made safe."""
    kept: list[tuple[Row, ...]] = []
    removed: set[int] = set()
    images: list[int] = []
    reporters: tuple[str, ...] = ()
    for block in blocks:
        lines = [line for _, line in block]
        if len(block) == 1 and chrome(lines[0]):
            removed.add(block[0][0])
        elif all(caption(line) and not IMAGE.search(line) for line in lines):
            removed.update(n for n, _ in block)
            if kept and _is_image(kept[-1]):
                kept[-1] = _captioned(kept[-1], " ".join(plain(line) for line in lines))
        elif (credited := _desk_credits(lines)) is not None:
            removed.update(n for n, _ in block)
            reporters = reporters or credited
        else:
            rows = [(n, _linked(_pictured(line, page, n, images), page)) for n, line in block]
            removed.update(n for n, text in rows if not text.strip())  # an image with no address
            if any(text.strip() for _, text in rows):
                kept.append(tuple(row for row in rows if row[1].strip()))
    return Body(tuple(kept), frozenset(removed), tuple(images), reporters)


def _desk_credits(lines: list[str]) -> tuple[str, ...] | None:
    found = [desk_credit(line) for line in lines]
    if any(f is None for f in found):
        return None
    return tuple(name for names in found if names for name in names)


def _pictured(line: str, page: str | None, number: int, images: list[int]) -> str:
    """Each image of a line as a link to the original, or nothing when it has no web address."""
    def link(match: re.Match[str]) -> str:
        alt = match.group(1) if match.group(1) is not None else match.group(3)
        src = web_href(match.group(2) if match.group(2) is not None else match.group(4), page)
        if src is None:
            return ""
        images.append(number)
        text = _bracketless(" ".join(alt.split()))
        return f"[Image: {text}]({src})" if text else f"[Image]({src})"
    return IMAGE.sub(link, line)


def _linked(line: str, page: str | None) -> str:
    """Links to placeholders or unresolvable places become their text."""
    def link(match: re.Match[str]) -> str:
        href = match.group(2)
        if href.startswith(("mailto:", "tel:")):
            return match.group(0)
        url = web_href(href, page)
        return f"[{match.group(1)}]({url}{match.group(3)})" if url else match.group(1)
    return LINK.sub(link, line)


def _is_image(block: tuple[Row, ...]) -> bool:
    return len(block) == 1 and IMAGE_LINE.match(block[0][1].strip()) is not None


def _captioned(block: tuple[Row, ...], text: str) -> tuple[Row, ...]:
    """An image link whose text gains the caption printed under the image."""
    number, line = block[0]
    head, _, rest = line.partition("](")
    alt = head.removeprefix("[Image").removeprefix(":").strip()
    label = f"{alt} — {_bracketless(text)}" if alt and alt not in text else (_bracketless(text) or alt)
    return ((number, f"[Image: {label}]({rest}"),)


def _bracketless(text: str) -> str:
    return text.replace("[", "(").replace("]", ")")


def first_text(blocks: tuple[tuple[Row, ...], ...]) -> str | None:
    """The plain text of the first paragraph that is not an image link (for a summary)."""
    for block in blocks:
        if not _is_image(block):
            return " ".join(plain(line) for _, line in block) or None
    return None


def starts_with_image(blocks: tuple[tuple[Row, ...], ...]) -> bool:
    return bool(blocks) and _is_image(blocks[0])
