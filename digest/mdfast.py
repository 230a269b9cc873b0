"""Faster drop-in parts for our own markdown-it-py instance; the HTML stays byte-identical.

Nothing here patches the library: `speed_up(md)` replaces rules and helpers on
one `MarkdownIt` object. Each replacement says why it returns exactly what the
stock code returns; tests/test_markdown_fast.py checks it against a stock parser.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any, Literal

from markdown_it import MarkdownIt, helpers, rules_block, rules_inline
from markdown_it.common.normalize_url import normalizeLink
from markdown_it.common.utils import escapeHtml, isMdAsciiPunct, isPunctChar, isWhiteSpace, unescapeAll
from markdown_it.helpers.parse_link_destination import _Result
from markdown_it.parser_block import ParserBlock, RuleFuncBlockType
from markdown_it.parser_inline import ParserInline, RuleFuncInlineType
from markdown_it.rules_core import normalize as stock_normalize
from markdown_it.rules_core import text_join as stock_text_join
from markdown_it.rules_core.normalize import NEWLINES_RE
from markdown_it.rules_core.state_core import StateCore
from markdown_it.rules_block import StateBlock
from markdown_it.renderer import RendererHTML
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.state_inline import Scanned
from markdown_it.token import Token
from markdown_it.utils import EnvType
from mdit_py_plugins.footnote.index import footnote_def, footnote_inline, footnote_ref

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


_new = object.__new__


def new_token(ttype: str, tag: str, nesting: Literal[-1, 0, 1]) -> Token:
    """`Token(ttype, tag, nesting)` without the dataclass __init__/__post_init__ round trip:
    the same fields, set to the same defaults."""
    token: Token = _new(Token)
    token.type = ttype
    token.tag = tag
    token.nesting = nesting
    token.attrs = {}
    token.map = None
    token.level = 0
    token.children = None
    token.content = ""
    token.markup = ""
    token.info = ""
    token.meta = {}
    token.block = False
    token.hidden = False
    return token


# Plain characters of a link destination: the stock scan steps over each of them one by one
# (only spaces, controls, `\\`, `(` and `)` change what it does).
_PLAIN_DESTINATION = re.compile(r"[^\x00-\x20\x7f\\()]*")


def parse_link_destination(string: str, pos: int, maximum: int) -> _Result:
    """`parseLinkDestination`, skipping a run of plain characters in one regex step.

    When that run ends the destination (at the end, a space, a control or a `)`), the
    stock loop would have stopped at the same place with no `(` open; anything else
    (`<…>`, `\\`, `(`) goes to the stock function."""
    if pos < maximum and string[pos] != "<":
        stop = _PLAIN_DESTINATION.match(string, pos, maximum).end()  # type: ignore[union-attr]
        if stop > pos and (stop >= maximum or string[stop] == ")" or string[stop] <= " "
                           or string[stop] == "\x7f"):
            result = _Result()
            result.str = unescapeAll(string[pos:stop])
            result.pos = stop
            result.ok = True
            return result
    return helpers.parseLinkDestination(string, pos, maximum)


_CHAR_CLASS: dict[str, tuple[bool, bool]] = {}


def _char_class(ch: str) -> tuple[bool, bool]:
    """(punctuation, whitespace) as scanDelims classifies `ch`: a pure function, so cached."""
    found = _CHAR_CLASS.get(ch)
    if found is None:
        found = _CHAR_CLASS[ch] = (isMdAsciiPunct(ord(ch)) or isPunctChar(ch), isWhiteSpace(ord(ch)))
    return found


class FastStateInline(StateInline):
    """StateInline whose token pushes build tokens with `new_token` (else the stock code)."""

    def scanDelims(self, start: int, canSplitWord: bool) -> Scanned:
        """The stock scan, with the character classes looked up in `_char_class`."""
        src = self.src
        maximum = self.posMax
        marker = src[start]
        last_char = src[start - 1] if start > 0 else " "
        pos = start
        while pos < maximum and src[pos] == marker:
            pos += 1
        next_char = src[pos] if pos < maximum else " "
        last_punct, last_space = _char_class(last_char)
        next_punct, next_space = _char_class(next_char)
        left_flanking = not (next_space or (next_punct and not (last_space or last_punct)))
        right_flanking = not (last_space or (last_punct and not (next_space or next_punct)))
        can_open = left_flanking and (canSplitWord or (not right_flanking) or last_punct)
        can_close = right_flanking and (canSplitWord or (not left_flanking) or next_punct)
        return Scanned(can_open, can_close, pos - start)

    def pushPending(self) -> Token:
        token = new_token("text", "", 0)
        token.content = self.pending
        token.level = self.pendingLevel
        self.tokens.append(token)
        self.pending = ""
        return token

    def push(self, ttype: str, tag: str, nesting: Literal[-1, 0, 1]) -> Token:
        if self.pending:
            self.pushPending()
        token = new_token(ttype, tag, nesting)
        token_meta = None
        if nesting < 0:
            self.level -= 1
            self.delimiters = self._prev_delimiters.pop()
        token.level = self.level
        if nesting > 0:
            self.level += 1
            self._prev_delimiters.append(self.delimiters)
            self.delimiters = []
            token_meta = {"delimiters": self.delimiters}
        self.pendingLevel = self.level
        self.tokens.append(token)
        self.tokens_meta.append(token_meta)
        return token


# The characters at which each stock inline rule can match: every one of them returns False,
# having changed nothing, when `state.src[state.pos]` is another character. (footnote_ref
# also creates an empty env["footnotes"] first; that entry alone changes no output.)
# Rules not listed here are tried at every character.
_TRIGGERS: dict[object, str] = {
    rules_inline.newline: "\n",
    rules_inline.escape: "\\",
    rules_inline.backtick: "`",
    rules_inline.strikethrough.tokenize: "~",
    rules_inline.emphasis.tokenize: "_*",
    rules_inline.link: "[",
    rules_inline.image: "!",
    footnote_inline: "^",
    footnote_ref: "[",
    rules_inline.autolink: "<",
    rules_inline.html_inline: "<",
    rules_inline.entity: "&",
}
_ASCII = [chr(code) for code in range(128)]
Dispatch = tuple[frozenset[str], dict[str, list[RuleFuncInlineType]], list[RuleFuncInlineType]]


def _triggers(rule: RuleFuncInlineType) -> str | None:
    func = getattr(rule, "func", rule)  # footnote_ref comes wrapped in functools.partial
    return _TRIGGERS.get(func)


def _may_match(rule: RuleFuncInlineType, ch: str) -> bool:
    triggers = _triggers(rule)
    return triggers is None or ch in triggers


class FastParserInline(ParserInline):
    """The inline tokenizer, trying at each character only the rules that can match there.

    Stock tries the whole chain in order until one matches. The chain starts with `text`,
    which matches at every character but the terminators and consumes up to the next one;
    here that is done inline. At a terminator `text` fails, and the rules tried are those
    of the chain, in order, that can match at that character (see _TRIGGERS)."""

    _dispatch_for: tuple[list[RuleFuncInlineType], Dispatch | None] | None = None

    def _dispatch(self, rules: list[RuleFuncInlineType]) -> Dispatch | None:
        if self._dispatch_for is not None and self._dispatch_for[0] is rules:
            return self._dispatch_for[1]
        table: Dispatch | None = None
        pattern = self.terminator_re
        if rules and rules[0] is rules_inline.text and pattern.pattern.isascii() \
                and not pattern.flags & re.IGNORECASE:
            # A non-ASCII character never matches an ASCII-only character class.
            terminators = frozenset(ch for ch in _ASCII if pattern.match(ch))
            rest = rules[1:]
            wild = [rule for rule in rest if _triggers(rule) is None]
            by_char = {ch: [rule for rule in rest if _may_match(rule, ch)] for ch in terminators}
            table = (terminators, by_char, wild)
        self._dispatch_for = (rules, table)
        return table

    def tokenize(self, state: StateInline) -> None:
        rules = self.ruler.getRules("")
        table = self._dispatch(rules)
        if table is None:
            return super().tokenize(state)
        terminators, by_char, wild = table
        search = self.terminator_re.search
        src = state.src
        end = state.posMax
        max_nesting = state.md.options["maxNesting"]
        while state.pos < end:
            pos = state.pos
            ch = src[pos]
            if state.level < max_nesting:
                if ch not in terminators:  # the `text` rule
                    found = search(src, pos)
                    stop = found.start() if found else state.posMax
                    state.append_pending(src[pos:stop])
                    state.pos = stop
                    continue
                matched = False
                for rule in by_char.get(ch, wild):
                    if rule(state, False):
                        if state.pos <= pos:
                            raise RuntimeError("inline rule didn't increment state.pos")
                        matched = True
                        break
                if matched:
                    continue
            state.append_pending(ch)
            state.pos += 1
        if state.pending:
            state.pushPending()
        return None

    def skipToken(self, state: StateInline) -> None:
        rules = self.ruler.getRules("")
        table = self._dispatch(rules)
        if table is None:
            return super().skipToken(state)
        terminators, by_char, wild = table
        pos = state.pos
        cache = state.cache
        if pos in cache:
            state.pos = cache[pos]
            return None
        ok = False
        if state.level < state.md.options["maxNesting"]:
            ch = state.src[pos]
            if ch not in terminators:  # the `text` rule, in silent mode
                found = self.terminator_re.search(state.src, pos)
                state.pos = found.start() if found else state.posMax
                ok = True
            else:
                for rule in by_char.get(ch, wild):
                    state.level += 1
                    ok = rule(state, True)
                    state.level -= 1
                    if ok:
                        if state.pos <= pos:
                            raise RuntimeError("inline rule didn't increment state.pos")
                        break
        else:
            state.pos = state.posMax
        if not ok:
            state.pos += 1
        cache[pos] = state.pos
        return None

    def parse(self, src: str, md: MarkdownIt, env: EnvType, tokens: list[Token]) -> list[Token]:
        state = FastStateInline(src, md, env, tokens)
        self.tokenize(state)
        markers = _delimiter_markers(state)
        for rule in self.ruler2.getRules(""):
            needs = _POST_MARKERS.get(rule, "")
            if (needs is None and not markers) or (needs == "~" and "~" not in markers):
                continue
            rule(state)
        return state.tokens


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


# Post-processing rules that only act on delimiters (None: of any marker; "~": of `~`), and
# walk their lists doing nothing when there is none: they are skipped then.
_POST_MARKERS: dict[object, str | None] = {
    rules_inline.link_pairs: None,
    rules_inline.emphasis.postProcess: None,
    rules_inline.strikethrough.postProcess: "~",
}


def _delimiter_markers(state: StateInline) -> set[str]:
    """The markers of every delimiter list the post-processing rules walk."""
    markers = {chr(delimiter.marker) for delimiter in state.delimiters}
    for meta in state.tokens_meta:
        if meta and "delimiters" in meta:
            markers.update(chr(delimiter.marker) for delimiter in meta["delimiters"])
    return markers


def _fast_inline(inline: ParserInline) -> FastParserInline:
    fast = FastParserInline()
    fast.__dict__.update(vars(inline))  # the same rulers and terminators
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
    md.inline = _fast_inline(md.inline)
    md.block = _fast_block(md.block)
    md.helpers = SimpleNamespace(  # type: ignore[assignment]
        parseLinkDestination=parse_link_destination,
        parseLinkLabel=helpers.parseLinkLabel, parseLinkTitle=helpers.parseLinkTitle)
    if type(md.renderer) is RendererHTML:
        md.renderer = _fast_renderer(md.renderer)
    return md
