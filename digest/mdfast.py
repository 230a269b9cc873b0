"""Faster drop-in parts for our own markdown-it-py instance; the HTML stays byte-identical.
(The inline parser's parts are in digest/mdinline.py.)

Nothing here patches the library: `speed_up(md)` replaces rules and helpers on
one `MarkdownIt` object. Each replacement says why it returns exactly what the
stock code returns; tests/test_markdown_fast.py checks it against a stock parser.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any, Literal

from markdown_it import MarkdownIt, helpers, rules_block
from markdown_it.common.normalize_url import normalizeLink
from markdown_it.common.utils import escapeHtml
from markdown_it.parser_block import ParserBlock, RuleFuncBlockType
from markdown_it.rules_core import normalize as stock_normalize
from markdown_it.rules_core import text_join as stock_text_join
from markdown_it.rules_core.normalize import NEWLINES_RE
from markdown_it.rules_core.state_core import StateCore
from markdown_it.rules_block import StateBlock
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType
from mdit_py_plugins.footnote.index import footnote_def

from digest.mdinline import fast_inline, new_token, parse_link_destination

# URLs that mdurl's parse → punycode → format → encode hands back unchanged: only characters
# `mdurl.encode` keeps (letters, digits, `;/?:@&=+$,-_.!~*'()#`, and `%` before two hex
# digits), and either relative (no `:` at all, not `//host`) or `http(s)://` with a plain
# ASCII host whose labels mdurl accepts as they are ([A-Za-z0-9-], 1..63 long). For these,
# parse splits the string into parts that format concatenates back in the same order,
# punycode leaves ASCII labels alone, and encode maps every character to itself.
_KEPT = r"(?:[A-Za-z0-9;/?:@&=+$,\-_.!~*'()#]|%[0-9A-Fa-f]{2})"
_RELATIVE_URL = re.compile(r"(?!//)(?:[A-Za-z0-9;/?@&=+$,\-_.!~*'()#]|%[0-9A-Fa-f]{2})*")
_WEB_URL = re.compile(r"https?://([A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*)(?:[/?#]" + _KEPT + r"*)?")


def normalize_link(url: str) -> str:
    """`normalizeLink` with a shortcut for URLs it is known to return unchanged."""
    web = _WEB_URL.fullmatch(url)
    if web and len(web.group(1)) <= 255:  # mdurl drops longer host names
        return url
    if _RELATIVE_URL.fullmatch(url):
        return url
    return normalizeLink(url)


def normalize(state: StateCore) -> None:
    """The `normalize` core rule without two regex passes over text that has no `\\r` or NUL.

    Stock rewrites `\\r\\n?|\\n` to `\\n` (a no-op without `\\r`) and NUL to U+FFFD."""
    src = state.src
    if "\r" in src:
        src = NEWLINES_RE.sub("\n", src)
    if "\0" in src:
        src = src.replace("\0", "\ufffd")
    state.src = src


class FastStateBlock(StateBlock):
    """StateBlock whose token pushes build tokens with `new_token`."""

    def push(self, ttype: str, tag: str, nesting: Literal[-1, 0, 1]) -> Token:
        token = new_token(ttype, tag, nesting)
        token.block = True
        if nesting < 0:
            self.level -= 1
        token.level = self.level
        if nesting > 0:
            self.level += 1
        self.tokens.append(token)
        return token


# The first characters of a line (after its indent) at which each stock block rule can match:
# every one of them starts by reading that character and returns False, having changed
# nothing, when it is another. Rules not listed here are tried on every line.
_BLOCK_TRIGGERS: dict[object, str] = {
    rules_block.fence: "~`",
    rules_block.blockquote: ">",
    rules_block.hr: "*-_",
    rules_block.list_block: "*-+0123456789",
    footnote_def: "[",
    rules_block.reference: "[",
    rules_block.html_block: "<",
    rules_block.heading: "#",
}
BlockDispatch = tuple[dict[str, list[RuleFuncBlockType]], list[RuleFuncBlockType]]


class FastParserBlock(ParserBlock):
    """The block tokenizer, trying on each line only the rules that can match its first
    character, in the chain's order; otherwise the stock loop, line for line."""

    _dispatch_for: tuple[list[RuleFuncBlockType], BlockDispatch] | None = None

    def _dispatch(self, rules: list[RuleFuncBlockType]) -> BlockDispatch:
        if self._dispatch_for is None or self._dispatch_for[0] is not rules:
            chars = "".join(_BLOCK_TRIGGERS.values())
            by_char = {ch: [rule for rule in rules if ch in _BLOCK_TRIGGERS.get(rule, ch)] for ch in chars}
            wild = [rule for rule in rules if rule not in _BLOCK_TRIGGERS]
            self._dispatch_for = (rules, (by_char, wild))
        return self._dispatch_for[1]

    def tokenize(self, state: StateBlock, startLine: int, endLine: int) -> None:
        rules = self.ruler.getRules("")
        by_char, wild = self._dispatch(rules)
        line = startLine
        max_nesting = state.md.options.maxNesting
        has_empty_lines = False
        src = state.src
        while line < endLine:
            state.line = line = state.skipEmptyLines(line)
            if line >= endLine:
                break
            if state.sCount[line] < state.blkIndent:
                break
            if state.level >= max_nesting:
                state.line = endLine
                break
            pos = state.bMarks[line] + state.tShift[line]
            candidates = by_char.get(src[pos], wild) if pos < state.eMarks[line] else rules
            ok = False
            for rule in candidates:
                ok = rule(state, line, endLine, False)
                if ok:
                    if state.line <= line:
                        raise RuntimeError("block rule didn't increment state.line")
                    break
            if not ok:
                raise RuntimeError("none of the block rules matched")
            state.tight = not has_empty_lines
            line = state.line
            if (line - 1) < endLine and state.isEmpty(line - 1):
                has_empty_lines = True
            if line < endLine and state.isEmpty(line):
                has_empty_lines = True
                line += 1
                state.line = line

    def parse(self, src: str, md: MarkdownIt, env: EnvType, outTokens: list[Token]) -> list[Token] | None:
        if not src:
            return None
        state = FastStateBlock(src, md, env, outTokens)
        self.tokenize(state, state.line, state.lineMax)
        return state.tokens


def _fast_block(block: ParserBlock) -> FastParserBlock:
    fast = FastParserBlock()
    fast.__dict__.update(vars(block))  # the same ruler
    return fast


class FastRenderer(RendererHTML):
    """RendererHTML with the loops of render/renderInline/renderToken tightened; the same
    strings, built in the same order. Text tokens are escaped in place of a call to the
    stock `text` rule (escapeHtml of the content) while that rule is the stock one."""

    def render(self, tokens: Sequence[Token], options: Any, env: EnvType) -> str:
        out: list[str] = []
        rules = self.rules
        for i, token in enumerate(tokens):
            kind = token.type
            if kind == "inline":
                if token.children:
                    out.append(self.renderInline(token.children, options, env))
            elif kind in rules:
                out.append(rules[kind](tokens, i, options, env))
            else:
                out.append(self.renderToken(tokens, i, options, env))
        return "".join(out)

    def renderInline(self, tokens: Sequence[Token], options: Any, env: EnvType) -> str:
        out: list[str] = []
        rules = self.rules
        stock_text = getattr(rules.get("text"), "__func__", None) is RendererHTML.text
        for i, token in enumerate(tokens):
            kind = token.type
            if kind == "text" and stock_text:
                out.append(escapeHtml(token.content))
            elif kind in rules:
                out.append(rules[kind](tokens, i, options, env))
            else:
                out.append(self.renderToken(tokens, i, options, env))
        return "".join(out)

    def renderToken(self, tokens: Sequence[Token], idx: int, options: Any, env: EnvType) -> str:
        token = tokens[idx]
        if token.hidden:
            return ""
        nesting = token.nesting
        # a newline between a hidden paragraph and the next opening block tag
        lead = "\n" if token.block and nesting != -1 and idx and tokens[idx - 1].hidden else ""
        result = lead + ("</" if nesting == -1 else "<") + token.tag
        if token.attrs:
            result += self.renderAttrs(token)
        if nesting == 0 and options["xhtmlOut"]:
            result += " /"
        need_lf = False
        if token.block:
            need_lf = True
            if nesting == 1 and idx + 1 < len(tokens):
                following = tokens[idx + 1]
                if following.type == "inline" or following.hidden:
                    need_lf = False
                elif following.nesting == -1 and following.tag == token.tag:
                    need_lf = False
        return result + (">\n" if need_lf else ">")


def _fast_renderer(renderer: RendererHTML) -> FastRenderer:
    fast = FastRenderer()
    # The same rules (plugins' included), bound to the new renderer where they were bound
    # to the old one, so that their calls to renderToken come here too.
    fast.rules = {name: (rule.__func__.__get__(fast) if getattr(rule, "__self__", None) is renderer else rule)
                  for name, rule in renderer.rules.items()}
    return fast


def text_join(state: StateCore) -> None:
    """The `text_join` core rule, leaving alone the inline tokens it has nothing to do for.

    Stock turns `text_special` into `text` and merges adjacent text tokens, giving each
    inline token (and image) a new list of its children; without either, that list holds
    the same tokens in the same order, so the children are kept (None becomes [])."""
    for token in state.tokens:
        if token.type != "inline":
            continue
        children = token.children or []
        previous = ""
        for child in children:
            kind = child.type
            if kind == "text_special" or child.children or (kind == "text" and previous == "text"):
                stock_text_join(StateCore("", state.md, state.env, [token]))  # this token only
                break
            previous = kind
        else:
            token.children = children


# The versions the fast parts were proven against (tests/test_markdown_fast.py): they reach into
# the library's internals, so any other version runs the stock parser, slower but the same.
PROVEN = {"markdown_it": "4.3.0", "mdit_py_plugins": "0.7.0"}


def speed_up(md: MarkdownIt) -> MarkdownIt:
    """Install the fast parts into `md` (configured as digest.markdown.parser does)."""
    import markdown_it
    import mdit_py_plugins

    if (markdown_it.__version__, mdit_py_plugins.__version__) != tuple(PROVEN.values()):
        return md
    if md.core.ruler.getRules("")[0] is stock_normalize:
        md.core.ruler.at("normalize", normalize)
    if stock_text_join in md.core.ruler.getRules(""):
        md.core.ruler.at("text_join", text_join)
    md.normalizeLink = normalize_link  # type: ignore[method-assign]
    md.inline = fast_inline(md.inline)
    md.block = _fast_block(md.block)
    md.helpers = SimpleNamespace(  # type: ignore[assignment]
        parseLinkDestination=parse_link_destination,
        parseLinkLabel=helpers.parseLinkLabel, parseLinkTitle=helpers.parseLinkTitle)
    if type(md.renderer) is RendererHTML:
        md.renderer = _fast_renderer(md.renderer)
    return md
