"""`digest takedown PATH --reason "…"`: mark an article removed, changing only that line.

The file keeps every other byte as it was (comments, quoting, order, line endings):
an existing top-level `removed:` entry is replaced, else one line is added before
the closing `---`. The result is validated like any article before it is written.
"""
from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from digest.editor.article_text import quoted
from digest.errors import ContentError
from digest.site.articles import ArticleErrors, decode, load_article
from digest.site.config import Config

FENCE = re.compile(r"^---[ \t]*$")
REMOVED = re.compile(r"^removed[ \t]*:")


def removal_line(reason: str, when: datetime) -> str:
    return f"removed: {{date: {when.date().isoformat()}, reason: {quoted(' '.join(reason.split()))}}}"


def with_removal(text: str, line: str) -> str:
    """`text` (an article file, as read) with `line` as its only top-level `removed:` entry."""
    newline = "\r\n" if "\r\n" in text else "\r" if "\r" in text and "\n" not in text else "\n"
    lines = text.split(newline)
    bom = "\ufeff" if lines and lines[0].startswith("\ufeff") else ""
    if bom:
        lines[0] = lines[0][1:]
    fences = [i for i, x in enumerate(lines) if FENCE.match(x)]
    if len(fences) < 2 or fences[0] != 0:
        raise ValueError("no front matter")
    end = fences[1]
    start = next((i for i in range(1, end) if REMOVED.match(lines[i])), None)
    if start is None:
        lines.insert(end, line)
    else:
        stop = start + 1  # the entry's own lines: indented, or blank between indented ones
        while stop < end and (lines[stop][:1] in (" ", "\t") or not lines[stop].strip()):
            stop += 1
        while stop > start + 1 and not lines[stop - 1].strip():
            stop -= 1
        lines[start:stop] = [line]
    return bom + newline.join(lines)


def take_down(path: Path, rel: str, reason: str, config: Config, now: datetime) -> str:
    """Write `removed` into the article at `path`; the new text. ContentError (or ArticleErrors)
    when it cannot be done, the file untouched."""
    if not reason.strip():
        raise ContentError(rel, "a takedown needs a reason, shown to readers", line=1, field="removed.reason",
                           hint='digest takedown PATH --reason "Removed at the request of the copyright holder"')
    raw = path.read_bytes()
    text = raw.decode("utf-8")
    try:
        new = with_removal(text, removal_line(reason, now.astimezone(config.tz)))
    except ValueError:
        raise ContentError(rel, "has no front matter to mark", line=1, field="front-matter",
                           hint="start the file with a '---' line, the YAML fields, then '---'") from None
    data = new.encode("utf-8")
    decode(data, rel)
    try:
        load_article(data, rel, config)
    except ArticleErrors as exc:
        raise exc.errors[0] from None
    path.write_bytes(data)
    return new
