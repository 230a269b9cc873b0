"""What a clipping's findings mean for one article of this site.

    source    the credited original publisher; else a linked outlet with a
              date ('[Outlet](url) 18 November 2016'); else the clipped site
    via       the clipped site, when it is not the source
    date      the source's own date when the clipping gives one, else the
              clipped page's dateline, else a TODO (today, as a placeholder)
    names     outlets as site.toml spells them, terms as content/ spells them
    notices   matched to [disclaimers] by similarity; unknown ones reported
              with a site.toml entry to paste

Every conclusion that might be wrong is reported at the clipping's line.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from digest.catalog import Catalog
from digest.clipping import LABELS, Clipping, Found
from digest.config import Config
from digest.disclaimers import best_match, suggested_key, toml_entry
from digest.errors import DigestError
from digest.identity import host_key, url_key, variant_key
from digest.new import outlet_for_url
from digest.scaffold import Draft
from digest.slugs import term_key

SYNONYMS = {
    "tags": {"tag", "tags", "topic", "topics", "theme", "themes", "keyword", "keywords", "subject", "subjects",
             "category", "categories"},
    "regions": {"region", "regions", "country", "countries", "location", "locations", "place", "places"},
}
TITLE_SEPARATORS = (" | ", " - ", " — ", " – ", " :: ", " · ")
UNKNOWN_SOURCE = "Unknown source"
CLIPPER_TAGS = frozenset({"clippings", "clipping", "web-clip", "webclip", "clipped"})  # a clipper's own tags


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
            stem: str) -> Resolved:
    return _Resolver(clip, name, config, catalog).run(now, stem)


class _Resolver:
    def __init__(self, clip: Clipping, name: str, config: Config, catalog: Catalog) -> None:
        self.clip, self.name, self.config, self.catalog = clip, name, config, catalog
        self.problems: list[DigestError] = []
        self.todo: list[str] = []
        self.found: list[str] = []
        self.suggestions: list[str] = []

    def report(self, severity: str, field: str, message: str, line: int | None = None,
               hint: str | None = None) -> None:
        self.problems.append(DigestError(self.name, message, line=line, field=field, hint=hint, severity=severity))
        if severity == "todo":
            self.todo.append(f"{field}: {message}")

    def run(self, now: datetime, stem: str) -> Resolved:
        clip = self.clip
        page = self.page_url()
        site = self.clipped_site(page)
        source_name, source_url, source_date = self.source(page, site)
        via_name, via_url = self.via(site, page, source_name, source_url)
        when = self.date(source_date, now)
        published = source_date or (when[:10] if not via_name and when and self.dated() else None)
        draft = Draft(
            title=self.title(stem, source_name, site), date=when, summary=self.summary(),
            authors=self.authors(), terms=self.terms(), source_name=source_name, source_url=source_url,
            source_published=published[:10] if published else None, via_name=via_name, via_url=via_url,
            copyright=self.copyright(source_name, via_name), disclaimer=self.disclaimer(source_name, site),
            body=clip.body)
        if not clip.body.strip():
            self.report("todo", "body", "no article text found in the clipping", 1,
                        "paste the text below the front matter")
        order = ["title", "date", "summary", "authors", *self.config.taxonomies, "source", "via", "copyright",
                 "disclaimer"]
        found = sorted(self.found, key=lambda f: order.index(f.split()[0]) if f.split()[0] in order else len(order))
        return Resolved(replace(draft, todo=tuple(self.todo), draft=bool(self.todo)),
                        tuple(self.problems), tuple(found), tuple(self.suggestions))

    # -- where it came from

    def meta(self, *keys: str) -> tuple[Any, int] | None:
        return next((self.clip.meta[k] for k in keys if k in self.clip.meta), None)

    def meta_link(self, key: str) -> tuple[str | None, str | None, int] | None:
        """A digest article's own `source:`/`via:` mapping, when the clipping is one."""
        found = self.meta(key)
        if found is None or not isinstance(found[0], dict):
            return None
        name, url = found[0].get("name"), found[0].get("url")
        return (name if isinstance(name, str) and name.strip() else None,
                url if isinstance(url, str) and url.startswith("http") else None, found[1])

    def page_url(self) -> str | None:
        if self.clip.page_url:
            return self.clip.page_url.value
        via = self.meta_link("via")
        if via and via[1]:
            return via[1]
        found = self.meta("source", "url")
        return found[0] if found and isinstance(found[0], str) and found[0].startswith("http") else None

    def clipped_site(self, page: str | None) -> str | None:
        """The outlet whose page was clipped: its dateline, its clipper metadata, its address."""
        for dateline, _ in self.clip.datelines:
            if dateline.site and not dateline.site_url:
                return dateline.site
        meta = self.meta("site", "site_name")
        if meta and isinstance(meta[0], str):
            return meta[0]
        via = self.meta_link("via")
        if via and via[0]:
            return via[0]
        return outlet_for_url(page, self.config, self.catalog) if page else None

    def source(self, page: str | None, site: str | None) -> tuple[str, str | None, str | None]:
        clip, origin = self.clip, self.clip.origin
        line = origin.line if origin else None
        linked = next(((d, n) for d, n in clip.datelines if d.site and d.site_url), None)
        meta = self.meta_link("source")
        if origin:
            name, url = origin.outlet.name, origin.outlet.url
        elif meta:
            name, url, line = meta
        elif linked and (not site or term_key(linked[0].site or "") != term_key(site)):
            name, url, line = linked[0].site, linked[0].site_url, linked[1]
        else:
            name, url = site, page
        if url and not name:
            name = outlet_for_url(url, self.config, self.catalog) or (site if page and host_key(page) == host_key(url) else None)
        if name and not url:
            url = self.url_for(name, page, linked)
        name = self.spelled_outlet(name, "source", line)
        if not name:
            name = host_key(url) if url else UNKNOWN_SOURCE
            self.report("todo", "source.name", "the clipping does not name the original publisher", line or 1,
                        "set source.name to the outlet that first published the article")
        if not url:
            self.report("todo", "source.url", f"the clipping names {name} but does not link to the original "
                        "article", line or 1, "find the original and set source.url")
        self.found.append("source" + (" with URL" if url else ""))
        dated = next((d.date for d, _ in clip.datelines if d.site and term_key(d.site) == term_key(name)), None)
        return name, url, dated

    def url_for(self, name: str, page: str | None, linked: Any) -> str | None:
        if linked and term_key(linked[0].site) == term_key(name):
            return str(linked[0].site_url)
        if page and (outlet_for_url(page, self.config, self.catalog) or "").casefold() == name.casefold():
            return page
        return None

    def via(self, site: str | None, page: str | None, source: str, source_url: str | None,
            ) -> tuple[str | None, str | None]:
        url = page if page and (not source_url or host_key(page) != host_key(source_url)) else None
        name = site or (outlet_for_url(url, self.config, self.catalog) if url else None) or (
            host_key(url) if url else None)
        if not name or term_key(name) == term_key(source) or (url and source_url and url_key(url) == url_key(source_url)):
            return None, None
        line = next((n for d, n in self.clip.datelines if d.site and term_key(d.site) == term_key(name)), None)
        name = self.spelled_outlet(name, "via", line) or name
        if not url:
            self.report("warning", "via.url", f"the clipping does not give the address of the {name} page",
                        line, "add via.url, or delete via if you found it elsewhere")
        self.found.append("via" + (" with URL" if url else ""))
        return name, url

    def spelled_outlet(self, name: str | None, field: str, line: int | None) -> str | None:
        if not name:
            return None
        settings = self.config.source_settings(name)
        spelled = settings.name if settings else self.catalog.source_names().get(variant_key(name), name)
        if spelled != name:
            self.report("note", field, f"'{name}' written as '{spelled}', the spelling the site uses", line)
        return spelled

    # -- what it is

    def dated(self) -> bool:
        return bool(self.clip.datelines) or self.meta("published", "date") is not None

    def date(self, source_date: str | None, now: datetime) -> str:
        clip = self.clip
        when = source_date or next((d.date for d, _ in clip.datelines), None)
        meta = self.meta("published", "date")
        if when is None and meta is not None:
            when = meta[0].isoformat() if isinstance(meta[0], (date, datetime)) else str(meta[0])
        if when and self.valid_date(when):
            self.found.append("date")
            return when
        self.report("todo", "date", "no publication date found in the clipping",
                    clip.title.line if clip.title else 1, "set date to the original publication date")
        return now.astimezone(self.config.tz).date().isoformat()

    def valid_date(self, when: str) -> bool:
        from digest.content import parse_when

        return parse_when(when, self.config) is not None

    def title(self, stem: str, source: str, site: str | None) -> str:
        found = self.clip.title
        if found is None or not found.value.strip():
            self.report("todo", "title", "no title found in the clipping", 1, "set the article's title")
            return f"Untitled clipping {stem}"
        title = found.value
        outlets = {variant_key(o) for o in (source, site, *self.config.sources) if o}
        for separator in TITLE_SEPARATORS:
            head, _, tail = title.rpartition(separator)
            if head and variant_key(tail) in outlets:
                self.report("note", "title", f"dropped the outlet's name '{tail}' from the title", found.line)
                title = head
                break
        self.found.append("title")
        return title

    def summary(self) -> str | None:
        if self.clip.summary:
            self.found.append("summary")
            return self.clip.summary.value
        meta = self.meta("summary", "description")
        if meta and isinstance(meta[0], str) and meta[0].strip():
            self.found.append("summary")
            return " ".join(meta[0].split())
        self.report("warning", "summary", "no lede (an italic first paragraph) found", None,
                    "lists and feeds will show the first paragraph unless you add a summary")
        return None

    def authors(self) -> tuple[str, ...]:
        clip = self.clip
        names = clip.authors
        if not names:
            meta = self.meta("author", "authors")
            values = meta[0] if meta else []
            names = tuple(str(v).strip("[] ") for v in (values if isinstance(values, list) else [values]) if v)
        names = names or clip.credits
        if names:
            self.found.append("authors")
        else:
            self.report("note", "authors", "no byline found", None)
        return names

    def terms(self) -> dict[str, tuple[str, ...]]:
        terms: dict[str, list[str]] = {}
        listed = [(k, tuple(str(v) for v in value if str(v).lower() not in CLIPPER_TAGS), line)
                  for k, (value, line) in self.clip.meta.items() if isinstance(value, list) and
                  (k in self.config.taxonomies or k in SYNONYMS.get("tags", ()))]
        for label, values, line in [*listed, *self.clip.labels]:
            taxonomy = self.taxonomy_for(label)
            if taxonomy is None:
                self.report("note", "terms", f"'{label}:' line left out: the site has no such taxonomy", line)
                continue
            known = self.catalog.spellings(taxonomy)
            for value in values:
                spelled = known.get(variant_key(value), value)
                if spelled != value:
                    self.report("note", taxonomy, f"'{value}' written as '{spelled}', the spelling the site uses",
                                line)
                if spelled not in terms.setdefault(taxonomy, []):
                    terms[taxonomy].append(spelled)
        self.found += [t for t in self.config.taxonomies if terms.get(t)]
        main = "tags" if "tags" in self.config.taxonomies else next(iter(self.config.taxonomies), None)
        if main and not terms.get(main):
            label = self.config.taxonomies[main]
            self.report("warning", main, f"no {label.lower()} found", None, f"add {main}: [...]")
        return {t: tuple(v) for t, v in terms.items()}

    def taxonomy_for(self, label: str) -> str | None:
        word = label.lower()
        for taxonomy, display in self.config.taxonomies.items():
            forms = {taxonomy, display.lower(), taxonomy.rstrip("s"), display.lower().rstrip("s")}
            if word in forms or word.rstrip("s") in forms or word in SYNONYMS.get(taxonomy, ()):
                return taxonomy
        return None

    def copyright(self, source: str, via: str | None) -> str | None:
        meta = self.meta("copyright")
        lines = (Found(str(meta[0]), meta[1]),) if meta else self.clip.copyrights
        key = variant_key(source)
        chosen = next((c for c in lines if key and key in variant_key(c.value)), None)
        if chosen is None and lines and not via:
            chosen = lines[0]
        if chosen is None:
            if lines:
                self.report("note", "copyright", f"left out '{lines[0].value}': it does not name {source}",
                            lines[0].line)
            return None
        self.found.append("copyright")
        return chosen.value

    def disclaimer(self, source: str, site: str | None) -> str | None:
        matched = []
        for notice in self.clip.disclaimers:
            match = best_match(notice.value, self.config.disclaimers)
            if match is None:
                key = suggested_key(notice.value, site or source, self.config.disclaimers)
                self.report("warning", "disclaimer", "the clipping's notice matches no [disclaimers] entry; "
                            "it was left out", notice.line, "to show it, add the entry suggested below to "
                            f"site.toml and set disclaimer: {key}")
                self.suggestions.append(toml_entry(key, notice.value))
            else:
                matched.append((match, notice.line))
        settings = self.config.source_settings(source)
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
