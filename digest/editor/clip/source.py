"""Who published a clipped article first (source), where it was found (via), and a
title without the page's outlet and section suffix.

    source   the credited original publisher ('The original source … is X');
             else a digest article's own `source:`; else a linked outlet with
             a date ('[Outlet](url) 18 November 2016'); else the wire service
             of the byline or dateline ('By X, Reuters', 'MOSCOW (AP) —') or
             of the copyright line; else the clipped site
    via      the clipped site, when it is not the source
    names    as site.toml spells them, else as earlier articles do, else as
             the outlet writes itself ('AP' → 'The Associated Press')

A placeholder link ('[Outlet](#)') gives a name and no address. An outlet
named only after its web address, or not at all, is an import_todo item.
The site's catalog is the one read before the batch began, so every file of
a batch is judged alike whatever its order.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from digest.editor.catalog import Catalog
from digest.editor.clip.findings import Clipping
from digest.editor.clip.lines import copyright_holder
from digest.editor.clip.outlets import aliases, known_outlet, names_host, outlet_of_host
from digest.editor.clip.text import web_href
from digest.editor.new import outlet_for_url
from digest.site.config import Config
from digest.site.identity import host_key, url_key, variant_key
from digest.site.slugs import term_key

TITLE_SEPARATORS = (" | ", " - ", " — ", " – ", " :: ", " · ")
MAX_SECTION_WORDS = 4  # '| World news |' is a section; a longer clause is part of the headline


@dataclass(frozen=True)
class Note:
    severity: str  # 'todo', 'warning' or 'note'
    field: str
    message: str
    line: int | None
    hint: str | None = None


@dataclass(frozen=True)
class Attribution:
    source_name: str | None
    source_url: str | None
    source_date: str | None  # the source's own date, when the clipping gives it
    via_name: str | None
    via_url: str | None
    notes: tuple[Note, ...]
    found: tuple[str, ...]


class Outlets:
    """The outlets the site knows (site.toml, earlier articles) and the clipping names."""

    def __init__(self, config: Config, catalog: Catalog, mentioned: Iterable[str]) -> None:
        self.config, self.catalog = config, catalog
        self.names = catalog.source_names()
        self.mentioned = {variant_key(n) for n in mentioned if n}

    def is_outlet(self, name: str, page: str | None = None) -> bool:
        key = variant_key(name)
        return bool(key) and (known_outlet(name) is not None or self.config.source_settings(name) is not None
                              or key in self.names or key in self.mentioned
                              or (page is not None and names_host(name, page)))

    def spelled(self, name: str) -> str:
        return self.spelling(name)[0]

    def spelling(self, name: str) -> tuple[str, str]:
        """(the site's spelling of an outlet, any of its known names counting; where it comes from)."""
        for alias in aliases(name):
            if settings := self.config.source_settings(alias):
                return settings.name, "the spelling the site uses"
            if spelled := self.names.get(variant_key(alias)):
                return spelled, "the spelling the site uses"
        return known_outlet(name) or name, "the outlet's own name"

    def for_url(self, url: str) -> str | None:
        return outlet_for_url(url, self.config, self.catalog) or outlet_of_host(url)

    def same(self, a: str | None, b: str | None) -> bool:
        return bool(a and b) and term_key(self.spelled(a or "")) == term_key(self.spelled(b or ""))


def split_title(title: str, outlets: Outlets, page: str | None) -> tuple[str, str | None, str]:
    """(headline, the outlet its suffix names, the suffix dropped): 'X | World news | The Guardian'
    → ('X', 'The Guardian', ' | World news | The Guardian'); 'Brexit - what happens next' stays."""
    head, outlet, in_chain = " ".join(title.split()), None, False
    while True:
        cut = max(((head.rfind(s), s) for s in TITLE_SEPARATORS), key=lambda found: found[0])
        if cut[0] <= 0:
            break
        before, tail = head[:cut[0]], head[cut[0] + len(cut[1]):].strip()
        words = tail.split()
        if outlet is None and outlets.is_outlet(tail, page):
            outlet = tail
        elif cut[1] == " | " and (in_chain or outlet) and len(words) <= MAX_SECTION_WORDS:
            pass  # a section, or 'by X', before the outlet: 'X | World news | The Guardian'
        elif cut[1] == " | " and outlet is None and 0 < len(words) <= MAX_SECTION_WORDS:
            outlet = tail  # a pipe in a page title sets off the site, hardly ever a clause
        else:
            break
        head, in_chain = before.rstrip(), True
    return head, outlet, " ".join(title.split())[len(head):]


def attribute(clip: Clipping, outlets: Outlets, page: str | None, title_outlet: str | None) -> Attribution:
    return _Attributor(clip, outlets, page).run(title_outlet)


class _Attributor:
    def __init__(self, clip: Clipping, outlets: Outlets, page: str | None) -> None:
        self.clip, self.outlets, self.page = clip, outlets, page
        self.notes: list[Note] = []
        self.found: list[str] = []

    def note(self, severity: str, field: str, message: str, line: int | None, hint: str | None = None) -> None:
        self.notes.append(Note(severity, field, message, line, hint))

    def run(self, title_outlet: str | None) -> Attribution:
        site = self.clipped_site(title_outlet)
        name, url, line = self.source(site)
        if url and not name:
            name = self.outlets.for_url(url) or (site if self.page and host_key(self.page) == host_key(url) else None)
        if name and not url:
            url = self.url_for(name)
        name = self.spelled(name, "source", line)
        if not name and url:
            name = host_key(url)
            self.note("todo", "source.name", f"named after its web address {name}: the clipping does not name "
                      "the original publisher", line or 1, "set source.name to the outlet's name")
        elif not name:
            self.note("todo", "source.name", "the clipping does not name the original publisher", line or 1,
                      "set source.name to the outlet that first published it, and source.url")
        if not url:
            named = f"names {name} but" if name else "gives no publisher and"
            self.note("todo", "source.url", f"the clipping {named} does not link to the original article",
                      line or 1, "find the original and set source.url")
        self.found.append("source" + (" with URL" if url else "") if name else "")
        dated = next((d.date for d, _ in self.clip.datelines if d.site and self.outlets.same(d.site, name)), None)
        via_name, via_url = self.via(site, name, url)
        return Attribution(name, url, dated, via_name, via_url, tuple(self.notes), tuple(f for f in self.found if f))

    def clipped_site(self, title_outlet: str | None) -> str | None:
        """The outlet whose page was clipped: its clipper metadata, its title, its dateline, its address."""
        meta = self.clip.meta.text("site", "site_name", "sitename", "publisher")
        if meta:
            return meta.value
        if title_outlet:
            return title_outlet
        unlinked = next((d.site for d, _ in self.clip.datelines if d.site and not d.site_url), None)
        if unlinked:
            return unlinked
        via = self.meta_link("via")
        if via and via[0]:
            return via[0]
        return self.outlets.for_url(self.page) if self.page else None

    def meta_link(self, key: str) -> tuple[str | None, str | None, int] | None:
        """A digest article's own `source:`/`via:` mapping, when the clipping is one."""
        found = self.clip.meta.get(key)
        if found is None or not isinstance(found[0], dict):
            return None
        name, url = found[0].get("name"), found[0].get("url")
        return (name.strip() if isinstance(name, str) and name.strip() else None,
                web_href(url) if isinstance(url, str) else None, found[1])

    def source(self, site: str | None) -> tuple[str | None, str | None, int | None]:
        """(name, url, line) of whoever the clipping credits as the original publisher."""
        clip, origin = self.clip, self.clip.origin
        if origin:
            return origin.outlet.name, origin.outlet.url, origin.line
        if meta := self.meta_link("source"):
            return meta
        linked = next(((d, n) for d, n in clip.datelines if d.site and d.site_url), None)
        if linked and not self.outlets.same(linked[0].site, site):
            return linked[0].site, linked[0].site_url, linked[1]
        wire = self.wire(site)
        if wire is not None:
            return wire
        return site, self.page, None

    def wire(self, site: str | None) -> tuple[str | None, str | None, int | None] | None:
        """A wire service or outlet the byline, the dateline or the copyright names, not the site itself."""
        people = self.clip.meta.people()
        named = [*((o.value, o.line) for o in self.clip.outlets), *((o, people[2]) for o in people[1])]
        holders = [(h, c.line) for c in self.clip.copyrights if (h := copyright_holder(c.value))]
        for name, line in named:
            if not self.outlets.same(name, site):
                return name, self.page if self.page and self.on_site(name, self.page) else None, line
        for holder, line in holders:
            if site is None or (known_outlet(holder) and not self.outlets.same(holder, site)):
                return holder, self.page if self.page and self.on_site(holder, self.page) else None, line
        return None

    def on_site(self, name: str, url: str) -> bool:
        """True when a URL is on the named outlet's own site."""
        owner = self.outlets.for_url(url)
        return self.outlets.same(owner, name) if owner else names_host(name, url)

    def url_for(self, name: str) -> str | None:
        linked = next((d.site_url for d, _ in self.clip.datelines if d.site and d.site_url
                       and self.outlets.same(d.site, name)), None)
        if linked:
            return linked
        return self.page if self.page and self.on_site(name, self.page) else None

    def via(self, site: str | None, source: str | None, source_url: str | None) -> tuple[str | None, str | None]:
        page = self.page
        url = page if page and (not source_url or host_key(page) != host_key(source_url)) else None
        name = site or (self.outlets.for_url(url) if url else None) or (host_key(url) if url else None)
        if not name or self.outlets.same(name, source) or (url and source_url and url_key(url) == url_key(source_url)):
            return None, None
        line = next((n for d, n in self.clip.datelines if d.site and self.outlets.same(d.site, name)), None)
        name = self.spelled(name, "via", line) or name
        if not url:
            self.note("warning", "via.url", f"the clipping does not give the address of the {name} page", line or 1,
                      "add via.url, or delete via if you found it elsewhere")
        self.found.append("via" + (" with URL" if url else ""))
        return name, url

    def spelled(self, name: str | None, field: str, line: int | None) -> str | None:
        if not name:
            return None
        spelled, why = self.outlets.spelling(name)
        if spelled != name:
            self.note("note", field, f"'{name}' written as '{spelled}', {why}", line or 1,
                      "name the outlet under [sources] in site.toml to spell it your way")
        return spelled
