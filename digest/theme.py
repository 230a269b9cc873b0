"""The Jinja environment: site theme over the default theme, file by file.

Autoescaping is on for every template, so titles, terms and outlet names
with `<`, `&` or quotes are always safe; a template error becomes a
ThemeError naming the template file and line.
"""
from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Iterable, Mapping, MutableMapping
from dataclasses import dataclass
from functools import cached_property, lru_cache, partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
import jinja2.compiler
import jinja2.meta
import jinja2.nodes
import jinja2.runtime
from jinja2.utils import missing
from markupsafe import Markup, escape

from digest.config import Config
from digest.errors import ThemeError, display_path
from digest.feeds import rfc822
from digest.model import Page
from digest.views import site_view

TEMPLATES = "templates"
STATIC = "static"


def default_theme_dir() -> Path:
    """The default theme: packaged in the wheel, or the repository's top-level theme/."""
    packaged = Path(__file__).parent / "_theme"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parent.parent / "theme"


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
        _load_references(self.compiled)
        seen: set[str] = set()
        todo = [name]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            refs = _references(self.env, self.template_hashes.get(current, ""), self.templates.get(current))
            if refs is None:  # a dynamic include: it may load any template
                return self.stamp
            todo.extend(refs)
        parts = sorted((n, str(self.templates.get(n)), self.template_hashes.get(n, "")) for n in seen)
        return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()

    @property
    def env(self) -> jinja2.Environment:
        return environment(tuple(self.dirs), self.stamp, self.base_path, self.compiled)

    @cached_property
    def globals(self) -> dict[str, Any]:
        """Per-build template globals (the env itself is shared and long-lived)."""
        return {"site": site_view(self.config), "static_url": self.static_url,
                "url": self.url}

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


_REFERENCES: dict[str, tuple[str, ...] | None] = {}
_REFERENCES_FILE = "references.pickle"
_loaded_from: set[Path] = set()
_learnt = False  # _REFERENCES holds entries no cache file has yet


def _load_references(folder: Path | None) -> None:
    """The references an earlier build found, from the build cache: parsing every template
    only to list what it loads costs a tenth of a one-article rebuild."""
    if folder is None or folder in _loaded_from:
        return
    _loaded_from.add(folder)
    try:
        with open(folder / _REFERENCES_FILE, "rb") as f:
            found = pickle.load(f)
    except Exception:  # missing or damaged: parse again
        return
    if isinstance(found, dict):
        _REFERENCES.update((k, v) for k, v in found.items() if k not in _REFERENCES)


def save_references(folder: Path | None) -> None:
    """Keep what this process learnt for the next build (atomic; a cache that cannot be written is skipped)."""
    global _learnt
    if folder is None or not _learnt:
        return
    _learnt = False
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temp = folder / f".{_REFERENCES_FILE}.{os.getpid()}.tmp"
        temp.write_bytes(pickle.dumps(_REFERENCES))
        os.replace(temp, folder / _REFERENCES_FILE)
    except OSError:
        pass


def _references(env: jinja2.Environment, digest: str, path: Path | None) -> tuple[str, ...] | None:
    """Templates one template loads by name (None: some name is only known at render time)."""
    if path is None:
        return ()
    global _learnt
    if digest not in _REFERENCES:
        _learnt = True
        try:
            found = list(jinja2.meta.find_referenced_templates(env.parse(path.read_text("utf-8"))))
            _REFERENCES[digest] = None if None in found else tuple(str(n) for n in found)
        except (jinja2.TemplateSyntaxError, OSError, UnicodeDecodeError):
            _REFERENCES[digest] = ()  # rendering reports it, with its line
    return _REFERENCES[digest]


try:  # markupsafe's C escaper; its Markup wrapper is wasted on output that is joined right away
    from markupsafe._speedups import _escape_inner as escape_str
except ImportError:  # markupsafe < 3 or without its C extension
    def escape_str(text: str, /) -> str:
        return str.__str__(escape(text))


def escape_text(value: Any) -> str:
    """What `{{ value }}` writes with autoescaping: markupsafe's escape, as a plain str.

    A page is one big join of these pieces, so wrapping each in Markup (twice
    per value inside markupsafe) only to throw the wrapper away costs a third
    of the time of a plain `{{ title }}`. Markup is written as is, as escape does."""
    kind = type(value)
    if kind is str:
        return escape_str(value)
    if kind is Markup:
        return value
    return escape(value)


_DICT_ATTRIBUTES = frozenset(dir(dict))
# The Jinja release the compiler shortcuts below were proven against (tests/test_theme_compiler.py):
# they override parts of its code generator and context that are not public API.
PROVEN_JINJA = "3.1.6"


class _CodeGenerator(jinja2.compiler.CodeGenerator):
    """Jinja's compiler with shortcuts in the code it writes, for the same output:
    `{{ }}` escapes through escape_text; `view.field` reads a plain dict's key
    inline; text and `{{ }}` between two tags are yielded as one piece; an
    include with context delegates with `yield from`. Each piece a partial
    yields travels up through every enclosing generator, and views are dicts."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._escaping: list[str] = []  # the variable of each `{{ }}` being written

    @jinja2.compiler.optimizeconst
    def visit_Getattr(self, node: jinja2.nodes.Getattr, frame: Any) -> None:
        # What _Environment.getattr does, without a call: dict methods still win.
        if self.environment.is_async or node.attr in _DICT_ATTRIBUTES:
            return super().visit_Getattr(node, frame)
        obj, key = self.temporary_identifier(), repr(node.attr)
        self.write(f"({obj}[{key}] if type({obj} := ")
        self.visit(node.node, frame)
        self.write(f") is dict and {key} in {obj} else environment.getattr({obj}, {key}))")

    def visit_Template(self, node: jinja2.nodes.Template, frame: Any = None) -> None:
        self.writeline(f"from {__name__} import escape_str as _escape_str, escape_text as _escape_text, "
                       "include_context as _include_context")
        super().visit_Template(node, frame)

    def _output_child_pre(self, node: jinja2.nodes.Expr, frame: Any, finalize: Any) -> None:
        if frame.eval_ctx.volatile:
            self.write("(_escape_text if context.eval_ctx.autoescape else str)(")
        elif frame.eval_ctx.autoescape and finalize.src is None:
            # a str (most values) straight to the C escaper, anything else through escape_text
            self._escaping.append(value := self.temporary_identifier())
            self.write(f"(_escape_str({value}) if type({value} := ")
            return
        elif frame.eval_ctx.autoescape:
            self.write("_escape_text(")
        else:
            self.write("str(")
        if finalize.src is not None:
            self.write(finalize.src)

    def _output_child_post(self, node: jinja2.nodes.Expr, frame: Any, finalize: Any) -> None:
        if not frame.eval_ctx.volatile and frame.eval_ctx.autoescape and finalize.src is None:
            value = self._escaping.pop()
            self.write(f") is str else _escape_text({value}))")
        else:
            super()._output_child_post(node, frame, finalize)

    def visit_Output(self, node: jinja2.nodes.Output, frame: Any) -> None:
        if frame.buffer is not None or frame.require_output_check or len(node.nodes) < 2:
            return super().visit_Output(node, frame)
        # Jinja's buffered form, joined and yielded once
        frame.buffer = self.temporary_identifier()
        self.writeline(f"{frame.buffer} = []")
        try:
            super().visit_Output(node, frame)
        finally:
            self.writeline(f"yield concat({frame.buffer})")
            frame.buffer = None

    def visit_Include(self, node: jinja2.nodes.Include, frame: Any) -> None:
        simple = (node.with_context and not node.ignore_missing and frame.buffer is None
                  and not self.environment.is_async and isinstance(node.template, jinja2.nodes.Const)
                  and isinstance(node.template.value, str))
        if not simple:
            return super().visit_Include(node, frame)
        self.writeline("template = environment.get_template(", node)
        self.visit(node.template, frame)
        self.write(f", {self.name!r})")
        self.writeline("yield from template.root_render_func(_include_context("
                       f"template, context, {self.dump_local_context(frame)}))")


def include_context(template: jinja2.Template, context: jinja2.runtime.Context,
                    local_vars: Mapping[str, Any]) -> jinja2.runtime.Context:
    """The context Jinja gives an included template, template.new_context(context.get_all(),
    True, local_vars), made in one step instead of three."""
    parent = context.get_all()
    if local_vars:
        parent = {**parent, **{k: v for k, v in local_vars.items() if v is not missing}}
    env = template.environment
    return env.context_class(env, parent, template.name, template.blocks, template.globals)


class _Context(jinja2.runtime.Context):
    """Jinja's context, cheaper to create (one per page and per include): the set
    of global names is only needed by `{% import %}`, so it is made when asked for."""

    def __init__(self, environment: jinja2.Environment, parent: dict[str, Any], name: str | None,
                 blocks: dict[str, Any], globals: MutableMapping[str, Any] | None = None) -> None:
        super().__init__(environment, parent, name, blocks)
        self._globals: Iterable[str] = () if globals is None else globals

    @property
    def globals_keys(self) -> set[str]:
        return set(self._globals)

    @globals_keys.setter
    def globals_keys(self, keys: set[str]) -> None:
        self._globals = keys


class _Environment(jinja2.Environment):
    """Jinja with a fast path for `view.field`: views are plain dicts, and Jinja would
    first try the attribute, fail with an exception, then the key (half a million
    times per thousand pages). Same result: dict methods still win, as in Jinja.
    Templates never reload (see environment()), so an include's lookup is memoised."""

    if jinja2.__version__ == PROVEN_JINJA:  # other versions compile as stock Jinja: slower, the same
        code_generator_class = _CodeGenerator
        context_class = _Context

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._loaded: dict[tuple[str, str | None], jinja2.Template] = {}

    def get_template(self, name: str | jinja2.Template, parent: str | None = None,
                     globals: MutableMapping[str, Any] | None = None) -> jinja2.Template:
        if globals is None and type(name) is str:
            found = self._loaded.get((name, parent))
            if found is None:
                found = self._loaded[name, parent] = super().get_template(name, parent)
            return found
        return super().get_template(name, parent, globals)

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Templates compiled by an earlier build, kept in the build cache (whose folder changes with
    digest's code, so our code generator's output is never mixed up); Jinja checks each against
    its template's source. Compiling costs a tenth of a one-article rebuild. A cache we can't
    read or write only costs the compile."""

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
    env = _Environment(
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
    # `{{ '/tags/'|url }}`: the filter knows the site's base path rather than asking each
    # page's context for it (half the links of a page go through it).
    env.filters["url"] = partial(site_url, base_path)
    return env


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


