"""What a clipping's findings mean for one article of this site.

    title     without the page's outlet and section suffix (digest/editor/clip/source.py)
    source    and via: digest/editor/clip/source.py
    date      the source's own date when the clipping gives one, else the
              clipped page's dateline, else the clipper's `published`, else a
              TODO (today, as a placeholder)
    authors   people only: outlets named as authors become the source
    names     outlets as site.toml spells them, terms as content/ spells them
    notices   matched to [disclaimers] by similarity; unknown ones reported
              with a site.toml entry to paste

Every conclusion that might be wrong is reported at the clipping's line, as
`path:line: severity: field: message (fix)`.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from digest.editor.article_text import Draft
from digest.editor.catalog import Catalog
from digest.editor.clip.disclaimers import best_match, suggested_key, toml_entry
from digest.editor.clip.findings import LABELS, Clipping
from digest.editor.clip.front import TAG_KEYS, Found
from digest.editor.clip.lang import REGION_LABELS, TAG_LABELS
from digest.editor.clip.source import Outlets, attribute, split_title
from digest.editor.clip.text import web_href
from digest.errors import DigestError
from digest.site.config import Config
from digest.site.identity import variant_key

SYNONYMS = {
    "tags": {w for words in TAG_LABELS.values() for w in words},
    "regions": {w for words in REGION_LABELS.values() for w in words},
}
# The order of import_todo items in the file: what the article is, then where it came from.
TODO_ORDER = ("source.name", "source.url", "date", "title", "body")


@dataclass(frozen=True)
class Resolved:
    draft: Draft
    problems: tuple[DigestError, ...]
    found: tuple[str, ...]
    suggestions: tuple[str, ...]


def accepted_labels(config: Config) -> frozenset[str]:
    """Label words that name one of the site's taxonomies ('Region:', 'Topics:')."""
    words = set(LABELS)
    for taxonomy, display in config.taxonomies.items():
        words |= {taxonomy, display.lower(), taxonomy.rstrip("s"), display.lower().rstrip("s")}
    return frozenset(words)


def resolve(clip: Clipping, name: str, config: Config, catalog: Catalog, now: datetime,
            stem: str, no_text: str | None = None) -> Resolved:
    """The article a clipping makes; `catalog` is the site as it was before the batch began;
    `no_text` says why a file gave no text at all ('the file is a PNG image, not text')."""
    return _Resolver(clip, name, config, catalog).run(now, stem, no_text)


class _Resolver:
    def __init__(self, clip: Clipping, name: str, config: Config, catalog: Catalog) -> None:
        self.clip, self.name, self.config, self.catalog = clip, name, config, catalog
        self.problems: list[DigestError] = []
        self.todo: list[str] = []
        self.found: list[str] = []
        self.suggestions: list[str] = []
        via = clip.meta.get("via")
        via_url = via[0].get("url") if via and isinstance(via[0], dict) else None
        found = clip.page_url or (Found(via_url, via[1]) if via and isinstance(via_url, str) else None) or clip.meta.url()
        self.page = web_href(found.value) if found else None
        mentioned = [clip.origin.outlet.name if clip.origin else None, *(o.value for o in clip.outlets),
                     *(d.site for d, _ in clip.datelines), *clip.meta.people()[1]]
        self.outlets = Outlets(config, catalog, [m for m in mentioned if m])

    def report(self, severity: str, field: str, message: str, line: int | None = None,
               hint: str | None = None) -> None:
        self.problems.append(DigestError(self.name, message, line=line or 1, field=field, hint=hint,
                                         severity=severity))
        if severity == "todo":
            self.todo.append(f"{field}: {message}")

    def run(self, now: datetime, stem: str, no_text: str | None = None) -> Resolved:
        clip = self.clip
        title, title_outlet = self.title(stem)
        who = attribute(clip, self.outlets, self.page, title_outlet)
        for note in who.notes:
            self.report(note.severity, note.field, note.message, note.line, note.hint)
        when = self.date(who.source_date, now)
        published = who.source_date or (when[:10] if not who.via_name and self.dated() else None)
        if no_text:
            self.report("todo", "body", f"{no_text}: nothing was read from it", 1,
                        "clip the article as Markdown or text, and import that file")
        elif not clip.body.strip():
            self.report("todo", "body", "no article text found in the clipping", clip.body_line,
                        "paste the article's text below the front matter")
        self.images()
        draft = Draft(
            title=title, date=when, summary=self.summary(), authors=self.authors(who.source_name),
            terms=self.terms(), source_name=who.source_name, source_url=who.source_url,
            source_published=published[:10] if published else None, via_name=who.via_name, via_url=who.via_url,
            copyright=self.copyright(who.source_name, who.via_name),
            disclaimer=self.disclaimer(who.source_name, who.via_name), body=clip.body,
            unsourced=who.source_name is None)
        self.found += who.found
        order = ["title", "date", "summary", "authors", *self.config.taxonomies, "source", "via", "copyright",
                 "disclaimer"]
        found = sorted(self.found, key=lambda f: order.index(f.split()[0]) if f.split()[0] in order else len(order))
        todo = sorted(self.todo, key=_todo_rank)
        return Resolved(replace(draft, todo=tuple(todo), draft=bool(todo)),
                        tuple(self.problems), tuple(found), tuple(self.suggestions))

    # -- what it is

    def title(self, stem: str) -> tuple[str, str | None]:
        found = self.clip.title
        if found is None or not found.value.strip():
            title = _from_file_name(stem)
            self.report("todo", "title", f"no title found in the clipping; '{title}' is made from the file name",
                        1, "set the article's title")
            return title, None
        title, outlet, dropped = split_title(found.value, self.outlets, self.page)
        if dropped:
            self.report("note", "title", f"dropped '{dropped.strip(' |-–—:·')}' (the page's outlet or section) "
                        "from the title", found.line, "put it back if it belongs to the headline")
        self.found.append("title")
        return title, outlet

    def dated(self) -> bool:
        return bool(self.clip.datelines) or self.clip.meta.published() is not None

    def date(self, source_date: str | None, now: datetime) -> str:
        clip = self.clip
        when = source_date or next((d.date for d, _ in clip.datelines), None)
        published = clip.meta.published()
        if when is None and published is not None:
            when = published.value
        if when and self.valid_date(when):
            self.found.append("date")
            return when
        self.report("todo", "date", "no publication date found in the clipping",
                    clip.title.line if clip.title else 1, "set date to the original publication date")
        return now.astimezone(self.config.tz).date().isoformat()

    def valid_date(self, when: str) -> bool:
        from digest.site.articles import parse_when

        return parse_when(when, self.config) is not None

    def summary(self) -> str | None:
        clip = self.clip
        found = clip.summary or clip.meta.text("description", "summary", "excerpt")
        if found:
            self.found.append("summary")
            return found.value
        if clip.lede:  # the body starts with an image link: the feed should not show 'Image: …'
            return clip.lede
        self.report("warning", "summary", "no lede (an italic first paragraph) found", clip.body_line,
                    "lists and feeds will show the first paragraph unless you add a summary")
        return None

    def authors(self, source: str | None) -> tuple[str, ...]:
        clip = self.clip
        names = clip.authors or clip.meta.people()[0] or clip.credits
        people = tuple(n for n in names if not (self.outlets.is_outlet(n) or self.outlets.same(n, source)))
        if people:
            self.found.append("authors")
        else:
            self.report("note", "authors", "no byline found", clip.authors_line or clip.body_line,
                        "add authors: [Name] if the article names its writer")
        return people

    def images(self) -> None:
        if self.clip.images:
            count = len(self.clip.images)
            self.report("warning", "body", f"{count} image(s) of the original page kept as link(s) to the "
                        "original, not copied or shown inline", self.clip.images[0],
                        "to show one, save it under content/ and set image: (src, alt, credit)")

    def terms(self) -> dict[str, tuple[str, ...]]:
        terms: dict[str, list[str]] = {}
        tags, tag_line = self.clip.meta.tags()
        listed = [(key, tuple(str(v) for v in value), line) for key, (value, line) in self.clip.meta.fields.items()
                  if isinstance(value, list) and key in self.config.taxonomies and key not in TAG_KEYS]
        if tags:
            listed.insert(0, ("tags", tags, tag_line))
        for label, values, line in [*listed, *self.clip.labels]:
            taxonomy = self.taxonomy_for(label)
            if taxonomy is None:
                self.report("note", "terms", f"'{label}:' line left out: the site has no such taxonomy", line,
                            "declare it under [taxonomies] in site.toml to keep such lines")
                continue
            known = self.catalog.spellings(taxonomy)
            for value in values:
                spelled = known.get(variant_key(value), value)
                if spelled != value:
                    self.report("note", taxonomy, f"'{value}' written as '{spelled}', the spelling the site uses",
                                line, "so the term keeps one page")
                if spelled not in terms.setdefault(taxonomy, []):
                    terms[taxonomy].append(spelled)
        self.found += [t for t in self.config.taxonomies if terms.get(t)]
        main = "tags" if "tags" in self.config.taxonomies else next(iter(self.config.taxonomies), None)
        if main and not terms.get(main):
            label = self.config.taxonomies[main]
            self.report("warning", main, f"no {label.lower()} found", 1, f"add {main}: [...]")
        return {t: tuple(v) for t, v in terms.items()}

    def taxonomy_for(self, label: str) -> str | None:
        word = label.lower()
        for taxonomy, display in self.config.taxonomies.items():
            forms = {taxonomy, display.lower(), taxonomy.rstrip("s"), display.lower().rstrip("s")}
            if word in forms or word.rstrip("s") in forms or word in SYNONYMS.get(taxonomy, ()):
                return taxonomy
        return None

    def copyright(self, source: str | None, via: str | None) -> str | None:
        meta = self.clip.meta.text("copyright")
        lines = (meta,) if meta else self.clip.copyrights
        key = variant_key(source or "")
        chosen = next((c for c in lines if key and key in variant_key(c.value)), None)
        if chosen is None and lines and not via and source:
            chosen = lines[0]
        if chosen is None:
            if lines:
                self.report("note", "copyright", f"left out '{lines[0].value}': it does not name "
                            f"{source or 'the source'}", lines[0].line, "set copyright: if it applies")
            return None
        self.found.append("copyright")
        return chosen.value

    def disclaimer(self, source: str | None, site: str | None) -> str | None:
        matched = []
        for notice in self.clip.disclaimers:
            match = best_match(notice.value, self.config.disclaimers)
            if match is None:
                key = suggested_key(notice.value, site or source or "notice", self.config.disclaimers)
                self.report("warning", "disclaimer", "the clipping's notice matches no [disclaimers] entry; "
                            "it was left out", notice.line, "to show it, add the entry suggested below to "
                            f"site.toml and set disclaimer: {key}")
                self.suggestions.append(toml_entry(key, notice.value))
            else:
                matched.append((match, notice.line))
        settings = self.config.source_settings(source) if source else None
        outlet_key = settings.disclaimer if settings else None
        if not matched:
            if self.clip.disclaimers and not (outlet_key or self.config.default_disclaimer):
                self.report("todo", "disclaimer", "the clipping carries a notice and the site has no disclaimer "
                            "for this article", self.clip.disclaimers[0].line,
                            "add a [disclaimers] entry and set disclaimer:")
            return None
        match, line = max(matched, key=lambda m: m[0].score)
        if outlet_key and outlet_key != match.key:
            self.report("note", "disclaimer", f"the notice reads like [disclaimers] {match.key}, but "
                        f"{source}'s own disclaimer '{outlet_key}' applies", line,
                        f"set disclaimer: {match.key} to override it")
            return None
        self.found.append(f"disclaimer {match.key} ({match.score:.0%} alike)")
        return match.key


def _todo_rank(item: str) -> int:
    field = item.split(":", 1)[0]
    return TODO_ORDER.index(field) if field in TODO_ORDER else len(TODO_ORDER)


def _from_file_name(stem: str) -> str:
    """'harbour-vote_fails' → 'Harbour vote fails'; a name with spaces is kept as written."""
    words = stem.split() if " " in stem else stem.replace("_", " ").replace("-", " ").split()
    text = " ".join(words)
    return (text[:1].upper() + text[1:]) if any(c.isalpha() for c in text) else f"Untitled clipping {stem}"

