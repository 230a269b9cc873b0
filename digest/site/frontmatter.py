"""Split a file into front matter and body, and read the YAML exactly as written.

Every scalar stays text (YAML 1.1's `NO`, `on`, `010`, `10:00` never change
meaning); the validator decides which fields are dates or booleans. Keys
remember their line in the file, duplicate keys and aliases are refused,
and oversized front matter is rejected before parsing.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from digest.errors import ContentError

FM = "front-matter"  # the field of errors that concern the block as a whole
MAX_FRONT_MATTER = 256 * 1024  # bytes; real front matter is a few hundred
Loader = getattr(yaml, "CBaseLoader", yaml.BaseLoader)  # libyaml when present
HANDLER = YAMLHandler()


@dataclass(frozen=True, slots=True)
class Split:
    data: dict[str, Any]
    lines: dict[str, int]  # top-level key → 1-based line in the file
    body: str
    body_line: int


def split(text: str, path: str) -> Split:
    """Front matter and body of one article; ContentError for anything malformed."""
    if not HANDLER.detect(text):
        raise ContentError(path, "no front matter", line=1, field=FM,
                           hint="start the file with a '---' line, the YAML fields, then '---'")
    boundaries = list(HANDLER.FM_BOUNDARY.finditer(text, 0))
    if len(boundaries) < 2:
        raise ContentError(path, "front matter is not closed", line=1, field=FM,
                           hint="add a '---' line after the last field")
    opening, closing = boundaries[0], boundaries[1]
    fm_start = text.index("\n", opening.start()) + 1 if "\n" in text[opening.start():] else opening.end()
    fm_text = text[fm_start:closing.start()]
    if len(fm_text.encode("utf-8", "surrogatepass")) > MAX_FRONT_MATTER:
        raise ContentError(path, f"front matter is larger than {MAX_FRONT_MATTER // 1024} KiB",
                           line=1, field=FM, hint="front matter holds metadata; move long text into the body")
    first_line = text.count("\n", 0, fm_start) + 1
    data, lines = parse_yaml(fm_text, path, first_line)
    body_start = closing.end()
    body = text[body_start:].lstrip("\n") if body_start < len(text) else ""
    body_line = text.count("\n", 0, len(text) - len(body)) + 1
    return Split(data, lines, body, body_line)


def parse_yaml(text: str, path: str, first_line: int) -> tuple[dict[str, Any], dict[str, int]]:
    """YAML mapping → (data with text scalars, line of each key)."""
    try:
        root = yaml.compose(text, Loader=Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + mark.line if mark else first_line
        problem = " ".join(filter(None, [exc.context, exc.problem]))
        raise ContentError(path, f"invalid YAML: {problem}", line=line, field=FM,
                           hint="quote values that contain ':' or '#', and indent lists evenly") from None
    except yaml.reader.ReaderError as exc:  # a character YAML forbids, e.g. a control character
        code = exc.character if isinstance(exc.character, int) else None
        found = text.find(chr(code)) if code is not None else -1
        line = first_line + text.count("\n", 0, found) if found >= 0 else first_line
        what = f"character U+{code:04X}" if code is not None else "a character"
        raise ContentError(path, f"invalid YAML: {what} is not allowed", line=line, field=FM,
                           hint="remove the invisible control character from this line") from None
    except yaml.YAMLError as exc:
        raise ContentError(path, "invalid YAML: " + " ".join(str(exc).split()), line=first_line, field=FM,
                           hint="check the quoting and indentation of this line") from None
    if root is None:
        return {}, {}
    if not isinstance(root, yaml.MappingNode):
        raise ContentError(path, "front matter must be 'field: value' lines", line=first_line, field=FM,
                           hint="e.g. title: \"…\" on its own line")
    reader = _NodeReader(path, first_line)
    data = reader.mapping(root)
    lines = {key.value: first_line + key.start_mark.line for key, _ in root.value
             if isinstance(key, yaml.ScalarNode)}
    for key, value in root.value:  # 'source.url', 'image.alt': errors point at the nested line
        if isinstance(key, yaml.ScalarNode):
            lines.update(_nested_lines(key.value, value, first_line))
    return data, lines


def _nested_lines(name: str, value: yaml.Node, first_line: int) -> dict[str, int]:
    """The lines of a mapping's keys ('source.url') and of a list's items and their keys
    of mappings ('corrections[1]', 'corrections[1].date'; items count from 1, as editors do)."""
    found: dict[str, int] = {}
    if isinstance(value, yaml.MappingNode):
        found.update({f"{name}.{sub.value}": first_line + sub.start_mark.line
                      for sub, _ in value.value if isinstance(sub, yaml.ScalarNode)})
    elif isinstance(value, yaml.SequenceNode) and any(isinstance(i, yaml.MappingNode) for i in value.value):
        for number, item in enumerate(value.value, 1):  # a list of names needs no lines of its own
            found[f"{name}[{number}]"] = first_line + item.start_mark.line
            found.update(_nested_lines(f"{name}[{number}]", item, first_line))
    return found


class _NodeReader:
    """Turns composed YAML nodes into plain Python, refusing aliases and duplicate keys."""

    def __init__(self, path: str, first_line: int) -> None:
        self.path = path
        self.first_line = first_line
        self.seen: set[int] = set()

    def line(self, node: yaml.Node) -> int:
        return self.first_line + node.start_mark.line

    def read(self, node: yaml.Node) -> Any:
        if id(node) in self.seen:
            raise ContentError(self.path, "YAML anchors and aliases (&, *) are not allowed",
                               line=self.line(node), field=FM, hint="write the value out in full")
        self.seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            return node.value
        if isinstance(node, yaml.SequenceNode):
            return [self.read(item) for item in node.value]
        assert isinstance(node, yaml.MappingNode)  # the only other kind of node
        return self.mapping(node)

    def mapping(self, node: yaml.MappingNode) -> dict[str, Any]:
        self.seen.add(id(node))
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise ContentError(self.path, "a field name must be plain text", line=self.line(key_node),
                                   field=FM, hint="write the field as name: value, e.g. title: \"…\"")
            key = key_node.value
            if key in out:
                raise ContentError(self.path, f"duplicate field '{key}'", line=self.line(key_node),
                                   field=key, hint="keep one of the two lines")
            out[key] = self.read(value_node)
        return out
