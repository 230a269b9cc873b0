"""`digest new`: one command from "I found a story" to an article file to fill in.

The file is a draft under content/YYYY/MM/, dated now in the site's zone,
with every front-matter field present. Outlet names and terms are spelled
the way the site already spells them, so a new article does not open a
second tag page for `US–Russia relations`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from digest.editor.article_text import Draft, article_text
from digest.editor.catalog import Catalog, scan
from digest.errors import ConfigError, DigestError, display_path
from digest.site.config import Config
from digest.site.identity import host_key, variant_key
from digest.site.slugs import slugify
from digest.site.weburl import WebURLError, web_url

COMMAND = "digest new"


@dataclass(frozen=True)
class NewArticle:
    """What the editor asked for on the command line."""

    title: str
    source: str | None = None
    url: str | None = None
    via: str | None = None
    via_url: str | None = None
    tags: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    original: bool = False
    slug: str | None = None


@dataclass(frozen=True)
class Created:
    path: Path
    notes: tuple[str, ...]  # what was adjusted or is still to fill in


def split_list(value: str | None) -> tuple[str, ...]:
    """'a, b,,c' → ('a', 'b', 'c')."""
    return tuple(" ".join(v.split()) for v in (value or "").split(",") if v.strip())


def create(config: Config, request: NewArticle, now: datetime) -> Created:
    """Write the new article; DigestError when asked for something impossible or it exists."""
    _check_request(request, config)
    catalog = scan(config)
    notes: list[str] = []
    when = now.astimezone(config.tz).replace(second=0, microsecond=0)
    slug = slugify(request.slug or request.title)
    source_name = _outlet(request.source, request.url, "source", config, catalog, notes)
    via_name = _outlet(request.via, request.via_url, "via", config, catalog, notes)
    terms = {tax: _spelled(values, tax, catalog, notes)
             for tax, values in (("tags", request.tags), ("regions", request.regions)) if values}
    draft = Draft(
        title=" ".join(request.title.split()), date=when.isoformat(),
        slug=slug if request.slug else None, terms=terms,
        source_name=source_name, source_url=request.url, via_name=via_name, via_url=request.via_url,
        original=request.original, draft=True)
    path = config.content_dir / f"{when.year:04d}" / f"{when.month:02d}" / f"{slug}.md"
    write_new(path, article_text(draft, config), config.root)
    if not request.original and not source_name:
        notes.append("source: fill in the outlet's name and url (or pass --original for your own writing)")
    elif not request.original and not request.url:
        notes.append("source.url: fill in the link to the original article")
    if via_name and not request.via_url:
        notes.append("via.url: fill in the link to where you found it (`digest check` warns until then)")
    notes.append("draft: true keeps it unpublished; delete that line when the article is ready")
    return Created(path, tuple(notes))


def write_new(path: Path, text: str, root: Path, what: str = "an article",
              hint: str = "open it, or choose another title or --slug") -> None:
    """Create the file; never replace one (exclusive create, so no race either)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError:
        raise DigestError(display_path(path, root), f"already exists; digest never overwrites {what}", field="file",
                          hint=hint) from None


def _check_request(request: NewArticle, config: Config) -> None:
    if not request.title.strip():
        raise DigestError(COMMAND, "the title must not be empty", field="TITLE")
    if request.original and (request.source or request.url):
        raise DigestError(COMMAND, "takes no --source or --url", field="--original",
                          hint="--original marks your own writing; leave it out to credit an outlet")
    for option, value in (("--url", request.url), ("--via-url", request.via_url)):
        try:
            if value is not None:
                web_url(value)
        except WebURLError as exc:
            raise DigestError(COMMAND, exc.problem, field=option, hint=exc.hint) from None
    for taxonomy, values in (("tags", request.tags), ("regions", request.regions)):
        if values and taxonomy not in config.taxonomies:
            raise ConfigError("site.toml", f"declares no '{taxonomy}' taxonomy", field="taxonomies",
                              hint=f"add {taxonomy} = \"…\" under [taxonomies], or leave out --{taxonomy}")


def _outlet(name: str | None, url: str | None, field: str, config: Config, catalog: Catalog,
            notes: list[str]) -> str | None:
    """The outlet's name as the site spells it; from the URL's host when not given."""
    if name:
        settings = config.source_settings(name)
        known = settings.name if settings else catalog.source_names().get(variant_key(name), name)
        if known != " ".join(name.split()):
            notes.append(f"{field}: '{name}' written as '{known}', the spelling the site uses")
        return known
    if not url:
        return None
    found = outlet_for_url(url, config, catalog)
    if found:
        notes.append(f"{field}: '{found}' named from the URL's site")
    return found


def outlet_for_url(url: str, config: Config, catalog: Catalog) -> str | None:
    """The outlet a link belongs to: site.toml's [sources] first (its `domains`, then its
    `url`), then past articles."""
    hostname = urlsplit(url).hostname or ""
    for settings in config.sources.values():
        if settings.domains and settings.allows_host(hostname):
            return settings.name
    host = host_key(url)
    for settings in config.sources.values():
        if settings.url and host_key(settings.url) == host:
            return settings.name
    return catalog.source_name_for_host(url)


def _spelled(values: tuple[str, ...], taxonomy: str, catalog: Catalog, notes: list[str]) -> tuple[str, ...]:
    known = catalog.spellings(taxonomy)
    out: list[str] = []
    for value in values:
        spelled = known.get(variant_key(value), value)
        if spelled != value:
            notes.append(f"{taxonomy}: '{value}' written as '{spelled}', the spelling the site uses")
        if spelled not in out:
            out.append(spelled)
    return tuple(out)
