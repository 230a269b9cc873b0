"""`partial()`: a template fragment rendered once per build for the same values.

    {{ partial("partials/item.html", item=item, level=3) }}

renders the template as `{% with item=item, level=3 %}{% include … %}{% endwith %}`
would, with the page's variables and the values given; only the caller's loop
variables are not seen, so a partial is passed what it needs. An article's list
entry or feed entry is the same on each of the dozen lists and feeds that show
it, so the output is kept and reused when the same values come again (Hugo's
partialCached, without its variant keys): values are compared by identity, and
list entries are made once per article per build (render/views.py), so the same
item is the same object on every page of a worker.

Reuse is only for a self-contained partial: every name that it, or any template
it includes, reads is among the values given, is the same on every page (site,
url, static_url, partial), or is not set on the page. A site's override that reads
`page` is rendered every time, and stays right. The kept output is bounded
(MEMORY, oldest first out); an output is kept the second time it is asked for,
and a large one (LARGEST) not at all: either would push out many small ones
that come back more often.
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import jinja2
import jinja2.meta
from markupsafe import Markup

MEMORY = 8_000_000  # characters of kept output, per process: about 11,000 list entries
LARGEST = 8_000  # characters: a bigger output (a feed entry with a long body) is not kept
SEEN = 200_000  # calls remembered, to keep only what is asked for twice
VALUE_KEYS = frozenset({str, int, float, bool, type(None)})  # compared by type and value; the rest by identity

Key = tuple[Any, ...]
Loads = Callable[[str], "frozenset[str] | None"]  # a template and all it loads: theme.Theme.loads


class Partials:
    """The `partial` function of one build's templates, and the outputs it keeps."""

    def __init__(self, env: jinja2.Environment, loads: Loads, constant: Iterable[str]) -> None:
        self.env = env
        self.loads = loads
        self.constant = frozenset(constant)  # names with one value for every page of the build
        self.kept: OrderedDict[Key, tuple[Markup, Mapping[str, Any]]] = OrderedDict()
        self.size = 0
        self.seen: set[Key] = set()  # an id in one may be stale: at worst, one more output is kept
        self.reads: dict[str, frozenset[str] | None] = {}

    @jinja2.pass_context
    def __call__(self, context: jinja2.runtime.Context, name: str, /, **values: Any) -> Markup:
        key = self.key(context, name, values)
        if key is not None:
            found = self.kept.get(key)
            if found is not None:
                self.kept.move_to_end(key)
                return found[0]
        template = self.env.get_template(name)
        out = Markup(template.render({**context.get_all(), **values}))
        if key is not None and len(out) <= LARGEST:
            if key in self.seen:
                self.keep(key, out, values)
            else:  # kept when it comes again: an edition's entries are made for one page each
                if len(self.seen) >= SEEN:
                    self.seen.clear()
                self.seen.add(key)
        return out

    def key(self, context: jinja2.runtime.Context, name: str, values: Mapping[str, Any]) -> Key | None:
        """What identifies this call's output, or None when the page itself may change it."""
        reads = self.reads_of(name)
        if reads is None or any(n not in values and n not in self.constant and n in context for n in reads):
            return None
        return (name, *((n, type(v), v if type(v) in VALUE_KEYS else id(v)) for n, v in sorted(values.items())))

    def keep(self, key: Key, out: Markup, values: Mapping[str, Any]) -> None:
        # The values are kept with the output: an id in a key stays that object's while it is kept.
        self.kept[key] = (out, values)
        self.size += len(out)
        while self.size > MEMORY and self.kept:
            _, (old, _) = self.kept.popitem(last=False)
            self.size -= len(old)

    def reads_of(self, name: str) -> frozenset[str] | None:
        """Every name `name` and the templates it loads read from their context (None: unknown,
        as when one loads a template named at render time)."""
        if name not in self.reads:
            self.reads[name] = self._reads(name)
        return self.reads[name]

    def _reads(self, name: str) -> frozenset[str] | None:
        templates = self.loads(name)
        if templates is None or self.env.loader is None:
            return None
        found: set[str] = set()
        for template in templates:
            try:
                source, _, _ = self.env.loader.get_source(self.env, template)
                found |= jinja2.meta.find_undeclared_variables(self.env.parse(source))
            except jinja2.TemplateError:
                return None  # rendering reports it, with its line
        return frozenset(found)
