"""The inline half of the fast markdown-it parts (see digest/mdfast.py): tokens, link
destinations, emphasis delimiters and the inline tokenizer, each the same as stock."""
from __future__ import annotations

import re
from typing import Literal

from markdown_it import MarkdownIt, helpers, rules_inline
from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace, unescapeAll
from markdown_it.helpers.parse_link_destination import _Result
from markdown_it.parser_inline import ParserInline, RuleFuncInlineType
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.state_inline import Scanned
from markdown_it.token import Token
from markdown_it.utils import EnvType
from mdit_py_plugins.footnote.index import footnote_inline, footnote_ref


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


def fast_inline(inline: ParserInline) -> FastParserInline:
    fast = FastParserInline()
    fast.__dict__.update(vars(inline))  # the same rulers and terminators
    return fast
