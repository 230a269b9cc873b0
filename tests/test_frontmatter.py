"""digest/site/frontmatter.py on its own: the exact split, lines and errors for each shape of file,
including empty front matter and the size limit at its boundary."""
from __future__ import annotations

import pytest
import yaml

from digest.errors import ContentError
from digest.site import frontmatter
from digest.site.frontmatter import MAX_FRONT_MATTER, Split, split

FM = "front-matter"
YAML_HINT = "quote values that contain ':' or '#', and indent lists evenly"


def error_of(text: str) -> tuple[str, str, int, str | None, str | None]:
    with pytest.raises(ContentError) as caught:
        split(text, "content/a.md")
    e = caught.value
    return e.path, e.message, e.line, e.field, e.hint


@pytest.mark.parametrize("text, expected", [
    ("---\ntitle: A\ndate: 2016-11-09\n---\nBody\n",
     Split({"title": "A", "date": "2016-11-09"}, {"title": 2, "date": 3}, "Body\n", 5)),
    ("---\ntitle: A\n---\n\n\nBody\n\nMore", Split({"title": "A"}, {"title": 2}, "Body\n\nMore", 6)),
    ("---\ntitle: A\n---", Split({"title": "A"}, {"title": 2}, "", 3)),  # no body, no final newline
    ("---\ntitle: A\n---\n", Split({"title": "A"}, {"title": 2}, "", 4)),
    ("-----  \ntitle: A\n-----\nB", Split({"title": "A"}, {"title": 2}, "B", 4)),  # longer rules, trailing spaces
    ("---\n\n\ntitle: A\n---\nB", Split({"title": "A"}, {"title": 4}, "B", 6)),  # blank lines before the first field
    ("---\na: 1\n---\nb: 2\n---\n", Split({"a": "1"}, {"a": 2}, "b: 2\n---\n", 4)),  # a later rule is body
    # only blank lines go: an indented first line keeps its indent
    ("---\na: 1\n---\n\n    indented code\n", Split({"a": "1"}, {"a": 2}, "    indented code\n", 5)),
    ("---\na: 1\n---\nXenophon\n", Split({"a": "1"}, {"a": 2}, "Xenophon\n", 4)),
])
def test_split(text, expected):
    assert split(text, "content/a.md") == expected


@pytest.mark.parametrize("text, expected", [
    ("---\n---\nBody\n", Split({}, {}, "Body\n", 3)),
    ("---\n# only a comment\n\n---\nBody", Split({}, {}, "Body", 5)),
    ("---\n---", Split({}, {}, "", 2)),
])
def test_empty_front_matter_is_an_empty_mapping(text, expected):
    assert split(text, "content/a.md") == expected


def test_nested_fields_have_their_own_lines():
    text = "---\ntitle: A\nsource:\n  name: Wire\n  url: https://wire.example/\ntags: [a, b]\n---\n"
    assert split(text, "content/a.md") == Split(
        {"title": "A", "source": {"name": "Wire", "url": "https://wire.example/"}, "tags": ["a", "b"]},
        {"title": 2, "source": 3, "source.name": 4, "source.url": 5, "tags": 6}, "", 8)


def test_every_scalar_stays_text_as_written():
    text = "---\na: NO\nb: 010\nc: 10:00\nd: 1e3\ne: ~\nf: !!int 7\ng: [on, 2016-11-09]\n---\n"
    assert split(text, "content/a.md").data == {"a": "NO", "b": "010", "c": "10:00", "d": "1e3", "e": "~",
                                                 "f": "7", "g": ["on", "2016-11-09"]}


def test_the_size_limit_counts_utf8_bytes_of_the_front_matter_alone():
    assert MAX_FRONT_MATTER == 256 * 1024

    def article(front_matter_bytes: int, char: str = "a") -> str:
        # 'title: ' + value + '\n' between the rules; the body does not count
        value = char * ((front_matter_bytes - len("title: \n")) // len(char.encode()))
        return f"---\ntitle: {value}\n---\n" + "b" * MAX_FRONT_MATTER

    at_limit = split(article(MAX_FRONT_MATTER), "content/a.md")
    assert len(at_limit.data["title"]) == MAX_FRONT_MATTER - 8
    assert error_of(article(MAX_FRONT_MATTER + 1)) == (
        "content/a.md", "front matter is larger than 256 KiB", 1, FM,
        "front matter holds metadata; move long text into the body")
    # 'é' is two bytes: 131,069 of them are under the limit in characters, over it in bytes
    assert error_of(article(MAX_FRONT_MATTER + 2, "é"))[1] == "front matter is larger than 256 KiB"


@pytest.mark.parametrize("text", ["", "Just text\n---\n", "\n---\ntitle: A\n---\n", " ---\ntitle: A\n---\n",
                                  "--\ntitle: A\n---\n"])
def test_no_front_matter(text):
    assert error_of(text) == ("content/a.md", "no front matter", 1, FM,
                              "start the file with a '---' line, the YAML fields, then '---'")


@pytest.mark.parametrize("text", ["---", "---\n", "---\ntitle: A\n", "---\ntitle: A\n--\nBody"])
def test_front_matter_not_closed(text):
    assert error_of(text) == ("content/a.md", "front matter is not closed", 1, FM,
                              "add a '---' line after the last field")


@pytest.mark.parametrize("text, message, line", [
    ("---\ntitle: A\nsummary: B: c\n---\n", "mapping values are not allowed in this context", 3),
    # the problem's line (where the stream ended), not the context's (where the quote opened, line 3)
    ('---\ntitle: A\nsummary: "unclosed\ndate: x\n---\nB',
     "while scanning a quoted scalar found unexpected end of stream", 5),
    ("---\ntitle: A\ntags: [a, b\nsource: W\n---\n",
     "while parsing a flow sequence did not find expected ',' or ']'", 4),
    ("---\ntitle: A\nsource: Wire\n  bad: indent\n---\n", "mapping values are not allowed in this context", 4),
    ("---\ntitle: *x\n---\n", "found undefined alias", 2),
])
def test_invalid_yaml_names_the_file_line(text, message, line):
    assert error_of(text) == ("content/a.md", f"invalid YAML: {message}", line, FM, YAML_HINT)


@pytest.mark.parametrize("text, line", [
    ("---\ntitle: A\nsummary: a\x01b\n---\n", 3),
    ("---\n\x01title: A\n---\n", 2),  # the very first character of the front matter
    ("---\ntitle: A\ndate: x\nsummary: \x1b[31m\n---\n", 4),
    ("---\ntitle: A\x01\nsummary: B\x01\n---\n", 2),  # the first of two
    ("---\n\ntitle: A\x01\n---\n", 3),  # after a blank first line
])
def test_control_character_names_its_line(text, line):
    code = next(ord(c) for c in text if c in "\x01\x1b")
    assert error_of(text) == ("content/a.md", f"invalid YAML: character U+{code:04X} is not allowed", line, FM,
                              "remove the invisible control character from this line")


@pytest.mark.parametrize("text", ["---\n- title\n- date\n---\n", "---\njust text\n---\n"])
def test_front_matter_must_be_a_mapping(text):
    assert error_of(text) == ("content/a.md", "front matter must be 'field: value' lines", 2, FM,
                              'e.g. title: "…" on its own line')


@pytest.mark.parametrize("text", ["---\ntitle: A\n[a, b]: x\n---\n", "---\ntitle: A\n? {a: 1}\n: x\n---\n"])
def test_field_names_must_be_plain_text(text):
    assert error_of(text) == ("content/a.md", "a field name must be plain text", 3, FM,
                              'write the field as name: value, e.g. title: "…"')


@pytest.mark.parametrize("text, line, field", [
    ("---\ntitle: A\ndate: x\ntitle: B\n---\n", 4, "title"),
    ("---\ntitle: A\nsource:\n  name: W\n  name: X\n---\n", 5, "name"),
    ("---\ntitle: A\nsource:\n  - name: W\n    name: X\n---\n", 5, "name"),  # inside a list too
])
def test_duplicate_fields(text, line, field):
    assert error_of(text) == ("content/a.md", f"duplicate field '{field}'", line, field, "keep one of the two lines")


@pytest.mark.parametrize("text, line", [
    ("---\ntitle: &t A\ndate: x\nsource: *t\n---\n", 2),
    ("---\ntitle: A\nsource: &s\n  name: W\nvia: *s\n---\n", 3),
    ("---\ntitle: A\ntags: &t [a, b]\nregions: *t\n---\n", 3),
    ("---\ntitle: A\ntags: [&x a, *x]\n---\n", 3),
])
def test_aliases_are_refused_at_the_anchor(text, line):
    # the composed alias is the anchor's own node, so the error points at the anchor
    assert error_of(text) == ("content/a.md", "YAML anchors and aliases (&, *) are not allowed", line, FM,
                              "write the value out in full")


def test_an_anchor_without_an_alias_is_harmless():
    assert split("---\ntitle: &t A\n---\n", "content/a.md").data == {"title": "A"}


# YAML errors that libyaml does not raise today; if a release does, the editor still gets a
# located error, never a traceback
@pytest.mark.parametrize("raised, message, hint", [
    (yaml.YAMLError("an odd\n   problem"), "invalid YAML: an odd problem",
     "check the quoting and indentation of this line"),
    (yaml.MarkedYAMLError(context="while reading", problem="found no position"),
     "invalid YAML: while reading found no position", YAML_HINT),
    (yaml.reader.ReaderError("<file>", 3, b"\xff", "utf-8", "invalid start byte"),
     "invalid YAML: a character is not allowed", "remove the invisible control character from this line"),
])
def test_yaml_errors_without_a_position_name_the_first_line(monkeypatch, raised, message, hint):
    def compose(text: str, Loader: object) -> None:
        raise raised
    monkeypatch.setattr(frontmatter.yaml, "compose", compose)
    assert error_of("---\n\ntitle: A\n---\n") == ("content/a.md", message, 2, FM, hint)
