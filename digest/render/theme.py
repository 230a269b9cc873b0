"""The Jinja environment: site theme over the default theme, file by file.

Autoescaping is on for every template, so titles, terms and outlet names
with `<`, `&` or quotes are always safe; a template error becomes a
ThemeError naming the template file and line.
"""
from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache, partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import css_inline
import jinja2
import jinja2.bccache
import jinja2.meta
import jinja2.nodes
from markupsafe import Markup, escape

from digest.errors import ThemeError, display_path
from digest.render.feeds import rfc822
from digest.render.partials import Partials
from digest.render.views import site_view
from digest.site.config import Config
from digest.site.model import Page

TEMPLATES = "templates"
STATIC = "static"


def default_theme_dir() -> Path:
    """The default theme: packaged in the wheel, or the repository's top-level theme/."""
    package = Path(__file__).resolve().parents[1]  # digest/
    packaged = package / "_theme"
    return packaged if packaged.is_dir() else package.parent / "theme"


def theme_dirs(config: Config) -> list[Path]:
    """Theme folders, most specific first, without duplicates."""
    dirs: list[Path] = []
    for folder in (config.theme_dir, default_theme_dir()):
        if folder.is_dir() and all(folder.resolve() != d.resolve() for d in dirs):
            dirs.append(folder)
    return dirs


@dataclass(frozen=True)
class Theme:
    """Templates and static files of a site, resolved through the override chain."""

    config: Config
    compiled: Path | None = None  # where compiled templates are kept between builds (the build cache)

    @cached_property
    def dirs(self) -> list[Path]:
        return theme_dirs(self.config)

    @cached_property
    def static_files(self) -> Mapping[str, Path]:
        """Output path below static/ → source file; the site's files win.

        Hidden files are skipped, and so is any file whose real path leaves the
        theme's static folder (a symlink to ~/.ssh must not get published).
        """
        files: dict[str, Path] = {}
        for folder in reversed(self.dirs):
            root = folder / STATIC
            if root.is_dir():
                real_root = root.resolve()
                for path in sorted(root.rglob("*")):
                    rel = path.relative_to(root)
                    if (path.is_file() and not any(p.startswith(".") for p in rel.parts)
                            and path.resolve().is_relative_to(real_root)):
                        files[rel.as_posix()] = path
        return dict(sorted(files.items()))

    @cached_property
    def fingerprints(self) -> Mapping[str, str]:
        return {rel: hashlib.sha256(p.read_bytes()).hexdigest()[:10]
                for rel, p in self.static_files.items()}

    @cached_property
    def base_path(self) -> str:
        """The path of base_url ('/' or '/digest/'): links work when the site lives in a subfolder."""
        return urlsplit(self.config.base_url).path or "/"

    def url(self, path: str) -> str:
        """A site-relative URL ('/tags/x/') as a link from any page of the published site."""
        return site_url(self.base_path, path)

    def static_url(self, rel: str) -> str:
        """URL of a static file with a content hash, so browsers never keep a stale copy."""
        digest = self.fingerprints.get(rel)
        return self.url(f"{STATIC}/{rel}") + (f"?v={digest}" if digest else "")

    @cached_property
    def templates(self) -> Mapping[str, Path]:
        """Template name → the file that provides it; the site's theme wins."""
        found: dict[str, Path] = {}
        for folder in reversed(self.dirs):
            root = folder / TEMPLATES
            for base, dirs, files in os.walk(root):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in files:
                    if not name.startswith("."):
                        path = Path(base, name)
                        found[path.relative_to(root).as_posix()] = path
        return dict(sorted(found.items()))

    @cached_property
    def template_hashes(self) -> Mapping[str, str]:
        return {name: hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
                for name, path in self.templates.items()}

    @cached_property
    def stamp(self) -> str:
        """Changes whenever any template file (or which file provides a name) changes."""
        return hashlib.blake2b(repr(sorted((n, str(self.templates[n]), h) for n, h in
                                           self.template_hashes.items())).encode(), digest_size=16).hexdigest()

    def closure(self, name: str) -> str:
        """Fingerprint of a template and every template it extends, includes or imports."""
        seen = self.loads(name)
        if seen is None:  # a dynamic include: it may load any template
            return self.stamp
        parts = sorted((n, str(self.templates.get(n)), self.template_hashes.get(n, "")) for n in seen)
        return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()

    def loads(self, name: str) -> frozenset[str] | None:
        """`name` and every template it loads, directly or not (None: some name is only known
        at render time)."""
        return loaded(name, self.references)

    def references(self, name: str) -> tuple[str, ...] | None:
        """The templates `name` extends, includes, imports or renders with partial() (None: some
        name is only known at render time); none for a template the theme lacks."""
        path = self.templates.get(name)
        return () if path is None else template_references(self.env, self.template_hashes[name], path,
                                                              self.compiled)

    @property
    def env(self) -> jinja2.Environment:
        return environment(tuple(self.dirs), self.stamp, self.base_path, self.compiled)

    @cached_property
    def globals(self) -> dict[str, Any]:
        """Per-build template globals (the env itself is shared and long-lived)."""
        return {"site": site_view(self.config), "static_url": self.static_url,
                "url": self.url, "partial": self.partials}

    @cached_property
    def partials(self) -> Partials:
        """`partial()` for this build: what it keeps lives as long as the Theme, one build."""
        return Partials(self.env, self.loads, {"site", "static_url", "url", "partial", *self.env.globals})

    def shown(self, filename: str | None) -> str | None:
        """A template's path as errors name it: below the site when it is the site's own."""
        return display_path(Path(filename), self.config.root) if filename else None

    def render(self, page: Page, view: Mapping[str, Any], extra: Mapping[str, Any] | None = None) -> bytes:
        """A page as bytes; template problems raise ThemeError with file and line."""
        try:
            template = self.env.get_template(page.template)
            return template.render(**self.globals, **view, **(extra or {})).encode("utf-8")
        except jinja2.TemplateSyntaxError as exc:
            raise ThemeError(self.shown(exc.filename) or page.template, exc.message or "syntax error",
                             line=exc.lineno, field="template", hint="check the {% %} and {{ }} tags") from None
        except jinja2.TemplateNotFound as exc:
            raise ThemeError(page.template, f"template '{exc.name}' not found", field="template",
                             hint=f"add it to {self.dirs[0] / TEMPLATES}") from None
        except Exception as exc:  # a template bug at render time: name its line, not ours
            filename, line = _template_frame(exc)
            raise ThemeError(self.shown(filename) or page.template, f"{type(exc).__name__}: {exc}", line=line,
                             field="template",
                             hint=f"while rendering {page.url}") from None


REFERENCES = "references"  # below the compiled-templates folder: one file per template version


@lru_cache(maxsize=256)
def template_references(env: jinja2.Environment, digest: str, path: Path,
                        folder: Path | None) -> tuple[str, ...] | None:
    """Templates one template loads by name (None: some name is only known at render time).

    Kept in `folder` (the build cache) under the template's digest: parsing every template
    only to list what it loads costs a tenth of a one-article rebuild."""
    saved = None if folder is None else folder / REFERENCES / digest
    if saved is not None:
        try:
            found = json.loads(saved.read_text("utf-8"))
            if found is None or (isinstance(found, list) and all(isinstance(n, str) for n in found)):
                return None if found is None else tuple(found)
        except (OSError, ValueError):  # missing or damaged: parse again
            pass
    try:
        ast = env.parse(path.read_text("utf-8"))
        names = [*jinja2.meta.find_referenced_templates(ast), *partial_names(ast)]
        refs = None if None in names else tuple(str(n) for n in names)
    except (jinja2.TemplateSyntaxError, OSError, UnicodeDecodeError):
        return ()  # rendering reports it, with its line
    if saved is not None:
        _write_atomic(saved, json.dumps(refs))
    return refs


def loaded(name: str, references: Callable[[str], tuple[str, ...] | None]) -> frozenset[str] | None:
    """`name` and every template it loads, following `references` (None: one loads a template
    named only at render time)."""
    seen: set[str] = set()
    todo = [name]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        refs = references(current)
        if refs is None:
            return None
        todo.extend(refs)
    return frozenset(seen)


def partial_names(ast: jinja2.nodes.Template) -> list[str | None]:
    """The templates a template renders with `partial("name", …)`; None for a name only known
    at render time."""
    return [call.args[0].value if call.args and isinstance(call.args[0], jinja2.nodes.Const)
            and isinstance(call.args[0].value, str) else None
            for call in ast.find_all(jinja2.nodes.Call)
            if isinstance(call.node, jinja2.nodes.Name) and call.node.name == "partial"]


def _write_atomic(path: Path, text: str) -> None:
    """Write a cache file whole or not at all; a cache that cannot be written is skipped."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temp.write_text(text, "utf-8")
        os.replace(temp, path)
    except OSError:
        pass


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Templates compiled by an earlier build, kept in the build cache (whose folder changes with
    digest's code and Jinja's version); Jinja checks each against its template's source.
    Compiling costs a tenth of a one-article rebuild. A cache we can't read or write only
    costs the compile."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, ValueError, EOFError):
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            os.makedirs(self.directory, exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError:
            pass


@lru_cache(maxsize=8)
def environment(dirs: tuple[Path, ...], stamp: str = "", base_path: str = "/",
                compiled: Path | None = None) -> jinja2.Environment:
    """One Jinja environment per theme chain and template version, kept for the process:
    templates compile once. `stamp` changes with any template file, which gives a fresh
    environment, so no template is ever stat'ed again while rendering (auto_reload would
    check the file of every include, for every item of every list). `base_path` is the
    site's, for the url filter."""
    loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(d / TEMPLATES) for d in dirs])
    env = jinja2.Environment(
        loader=loader,
        # memoised: Jinja asks again for every page and every include
        autoescape=lru_cache(maxsize=None)(jinja2.select_autoescape(disabled_extensions=("txt",), default=True)),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        cache_size=-1,
        bytecode_cache=_CompiledTemplates(str(compiled)) if compiled is not None else None,
    )
    env.filters["xml_text"] = xml_text
    env.filters["rfc822"] = rfc822
    env.filters["inline_css"] = inline_css
    # `{{ '/tags/'|url }}`: the filter knows the site's base path rather than asking each
    # page's context for it (half the links of a page go through it).
    env.filters["url"] = partial(site_url, base_path)
    return env


def inline_css(html: object) -> Markup:
    """`{% filter inline_css %}`: a document's <style> rules moved onto its elements, as e-mail
    clients need; at-rules (@media) stay in a <style> of their own, where no inliner can apply them."""
    return Markup(css_inline.inline(str(html), keep_at_rules=True, load_remote_stylesheets=False))


def site_url(base_path: str, path: object) -> str:
    """A site-relative URL ('/tags/x/') as a link that works under base_url's path."""
    return base_path + str(path).lstrip("/")


def xml_text(value: object) -> Markup:
    """Escape HTML (even already-safe Markup) for an Atom text construct of type="html"."""
    return _escaped(str.__str__(value) if isinstance(value, str) else str(value))


@lru_cache(maxsize=1024)  # ~10 MB at most: a few KB of text in, a little more out
def _escaped(text: str) -> Markup:
    """An article's feed content is escaped once, not once per feed it is in: feeds are
    rendered one after the other, and a tag's, a region's and an outlet's share articles."""
    return escape(text)


def _template_frame(exc: BaseException) -> tuple[str | None, int | None]:
    """The innermost template file and line in a traceback Jinja rewrote."""
    found: tuple[str | None, int | None] = (None, None)
    tb = exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith((".html", ".xml", ".txt")):
            found = (name, tb.tb_lineno)
        tb = tb.tb_next
    return found


