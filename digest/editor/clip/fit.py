"""An imported article that always loads: what the validator refuses is left out, with a todo.

A clipping can hold anything: an address the validator will not take, a
body larger than an article may be, a term that cannot have a page. Rather
than refuse the whole clipping, the importer leaves that field (or the end
of the body) out, says so in `extra.import_todo`, and keeps the article a
draft: a title and a text always make a draft that `digest check` and
`digest build --drafts` can load.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from digest.editor.article_text import Draft, article_text
from digest.editor.clip.resolve import Resolved
from digest.errors import DigestError
from digest.site.articles import MAX_ARTICLE_BYTES, ArticleErrors, load_article
from digest.site.config import Config

# The Draft fields a refused front-matter field is made of.
CLEARED: dict[str, dict[str, Any]] = {
    "source": {"source_url": None}, "source.url": {"source_url": None}, "source.published": {"source_published": None},
    "via": {"via_name": None, "via_url": None}, "via.url": {"via_name": None, "via_url": None},
    "authors": {"authors": ()},
    "summary": {"summary": None}, "copyright": {"copyright": None}, "disclaimer": {"disclaimer": None},
    "slug": {"slug": None},
}
ROOM = 4096  # bytes kept free below the size limit for the todo items and an editor's additions
ATTEMPTS = 3


def fitted(resolved: Resolved, config: Config, name: str) -> Resolved:
    """The body cut at a paragraph to fit the article size limit (with a todo), if it is larger."""
    draft = resolved.draft
    room = MAX_ARTICLE_BYTES - len(article_text(replace(draft, body=""), config).encode("utf-8")) - ROOM
    body = draft.body.encode("utf-8")
    if len(body) <= room:
        return resolved
    cut = body[:max(room, 0)].decode("utf-8", "ignore")
    cut = cut[:cut.rfind("\n\n")] if "\n\n" in cut else cut
    message = f"the clipping's text was cut to {len(cut.encode('utf-8')) // 1024} KiB, the most an article may hold"
    problem = DigestError(name, message, line=1, field="body", severity="todo",
                          hint="check where it ends, or split the text into several articles")
    new = replace(draft, body=cut.rstrip() + "\n", todo=(*draft.todo, f"body: {message}"), draft=True)
    return replace(resolved, draft=new, problems=(*resolved.problems, problem))


def loadable(draft: Draft, shown: str, config: Config, name: str
             ) -> tuple[str, tuple[DigestError, ...], tuple[DigestError, ...]]:
    """(the article text with any refused field left out, a todo problem for each one left out,
    what the validator still refuses: nothing unless the clipping is very odd)."""
    repairs: list[DigestError] = []
    article = article_text(draft, config)
    refused = invalid(article, shown, config)
    for _ in range(ATTEMPTS):
        fixable = [e for e in refused if e.field in CLEARED or e.field in config.taxonomies]
        if not refused or len(fixable) < len(refused):
            break
        for error in fixable:
            draft = _without(draft, error.field or "", config)
            draft = replace(draft, todo=(*draft.todo, f"{error.field}: left out: {error.message}"), draft=True)
            repairs.append(DigestError(name, f"left out: {error.message}", line=1, field=error.field,
                                       severity="todo", hint=error.hint or "fill it in by hand"))
        article = article_text(draft, config)
        refused = invalid(article, shown, config)
    return article, tuple(repairs), refused


def _without(draft: Draft, field: str, config: Config) -> Draft:
    if field in config.taxonomies:
        return replace(draft, terms={k: v for k, v in draft.terms.items() if k != field})
    if field.startswith("source") and field != "source.published" and draft.source_url is None:
        return replace(draft, source_name=None, unsourced=True)
    return replace(draft, **CLEARED[field])


def invalid(article: str, shown: str, config: Config) -> tuple[DigestError, ...]:
    """The errors the generated file would have as an article (none, unless the clipping is odd)."""
    try:
        load_article(article.encode("utf-8"), shown, config)
    except ArticleErrors as exc:  # an unnamed outlet is what an unsourced draft's todo is about
        return tuple(e for e in exc.errors if not (e.in_draft and e.field == "source.name"))
    except DigestError as exc:
        return (exc,)
    return ()
