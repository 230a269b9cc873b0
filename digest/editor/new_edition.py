"""`digest new --edition [DATE]`: an edition file listing a day's published articles.

The file groups the articles as the edition page does without a file (the
site's `[edition] sections_by`), newest first, one slug a line with its title
beside it, so the editor only moves lines and writes the note.
"""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from digest.editor.new import Created, write_new
from digest.errors import DigestError
from digest.site.config import Config
from digest.site.editions import FOLDER
from digest.site.model import SiteIndex

COMMAND = "digest new --edition"


def parse_day(value: str, config: Config, now: datetime) -> date:
    """'today' (in the site's zone) or YYYY-MM-DD."""
    if value == "today":
        return now.astimezone(config.tz).date()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise DigestError(COMMAND, f"'{value}' is not a date", field="DATE",
                          hint="write the day as YYYY-MM-DD, e.g. 2016-11-09, or leave it out for today") from None


def edition_text(day: date, index: SiteIndex) -> str:
    edition = index.editions[day]
    lines = ["---", '# title: "A headline for the day"',
             '# summary: "One sentence for the home page and the editions feed"',
             "# Sections in reading order; an article left out goes to a last section, \"More\".",
             "sections:"]
    for title, urls in edition.sections:
        lines.append(f"  - title: {_quoted(title or 'Top stories')}")
        lines.append("    articles:")
        for url in urls:
            article = index.by_url[url]
            lines.append(f"      - {article.slug}  # {' '.join(article.title.split())}")
    lines += ["---", "", ""]
    return "\n".join(lines)


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def create_edition(config: Config, index: SiteIndex, day: date) -> Created:
    """Write content/editions/DAY.md; DigestError when the day has no articles or the file exists."""
    if day not in index.editions:
        recent = ", ".join(d.isoformat() for d in list(index.editions)[:3])
        raise DigestError(COMMAND, f"{day.isoformat()} has no published articles", field="DATE",
                          hint=f"the latest editions: {recent}" if recent else "publish an article first")
    path: Path = config.content_dir / FOLDER / f"{day.isoformat()}.md"
    write_new(path, edition_text(day, index), config.root, "an edition file", "open it and edit it")
    return Created(path, ("sections: reorder, regroup or retitle; the text after the closing --- is the "
                          "editor's note (Markdown)",))
