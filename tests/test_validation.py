"""Article validation: every problem of a build is reported, located and explained.

Each error is one line `path:line: field: message (hint)`, never a traceback;
`digest build` and `digest check` exit 1 and write nothing.
"""
from __future__ import annotations

import re

import pytest
from conftest import DROP, run_digest

# Every error names its field and its fix (the one format of digest's errors).
ERROR_LINE = re.compile(r"^(?P<path>content/[^:]+):(?P<line>\d+): (?P<field>[\w.\-\"]+): "
                        r"(?P<message>.+?) \((?P<hint>(?:[^()]|\([^()]*\))+)\)$")


def parse_errors(stderr: str) -> list[re.Match[str]]:
    """The error lines of the CLI's stderr (the summary line excluded), each parsed."""
    lines = [ln for ln in stderr.splitlines() if ln.strip() and "error(s)" not in ln]
    matches = [ERROR_LINE.match(ln) for ln in lines]
    assert all(matches), f"unexpected lines in stderr:\n{stderr}"
    return matches  # type: ignore[return-value]


def one_error(site, path: str = "content/a.md") -> re.Match[str]:
    """Build through the CLI; exactly one error, in path; returns it parsed."""
    result = site.cli("build")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.stderr + result.stdout
    errors = parse_errors(result.stderr)
    assert len(errors) == 1, result.stderr
    assert errors[0]["path"] == path
    assert not site.output.exists()
    return errors[0]


# ---------------------------------------------------------------- single problems


def test_missing_title(site):
    site.article("a.md", {"title": DROP})
    error = one_error(site)
    assert (error["field"], error["message"]) == ("title", "required field is missing")
    assert "title:" in error["hint"]


def test_empty_title(site):
    site.article("a.md", 'title: "   "\ndate: 2016-11-09\nsource: Wire')
    error = one_error(site)
    assert (error["line"], error["field"], error["message"]) == ("2", "title", "must not be empty")


def test_title_must_be_text(site):
    site.article("a.md", "title: [a, b]\ndate: 2016-11-09\nsource: Wire")
    error = one_error(site)
    assert (error["line"], error["field"], error["message"]) == ("2", "title", "must be text")


def test_missing_date(site):
    site.article("a.md", {"date": DROP})
    error = one_error(site)
    assert (error["field"], error["message"]) == ("date", "required field is missing")
    assert "2016-11-09" in error["hint"]


@pytest.mark.parametrize("value", ["2016-13-45", "yesterday", "09/11/2016", "2016-11-09T25:00:00"])
def test_invalid_date(site, value):
    site.article("a.md", f"title: A\ndate: {value}\nsource: Wire")
    error = one_error(site)
    assert (error["line"], error["field"]) == ("3", "date")
    assert error["message"] == f"invalid date '{value}'"
    assert "YYYY-MM-DD" in error["hint"]


def test_invalid_updated_date(site):
    site.article("a.md", {"updated": "soon"})
    error = one_error(site)
    assert (error["field"], error["message"]) == ("updated", "invalid date 'soon'")


def test_unknown_disclaimer_suggests_the_closest(site):
    site.article("a.md", {"disclaimer": "standrad"})
    error = one_error(site)
    assert (error["field"], error["message"]) == ("disclaimer", "unknown disclaimer 'standrad'")
    assert error["hint"] == "did you mean 'standard'?"


def test_unknown_disclaimer_lists_the_known_ones(site):
    site.article("a.md", {"disclaimer": "zzz"})
    error = one_error(site)
    assert "standard, translation, opinion" in error["hint"]


def test_missing_source(site):
    site.article("a.md", {"source": DROP})
    error = one_error(site)
    assert (error["field"], error["message"]) == ("source", "required field is missing")
    assert "original: true" in error["hint"]


def test_original_needs_no_source(site):
    site.article("a.md", {"source": DROP, "original": True})
    site.build()
    assert site.exists("/2016/11/09/an-article/")


@pytest.mark.parametrize("field", ["source", "via"])
@pytest.mark.parametrize("url, message, hint", [
    ("ftp://files.example/a", "is not a web address: its scheme is ftp:", "use an http:// or https:// address"),
    ("javascript:alert(1)", "is not a web address: its scheme is javascript:", "use an http:// or https:// address"),
    ("JavaScript:alert(1)", "is not a web address: its scheme is javascript:", "use an http:// or https:// address"),
    ("data:text/html,hi", "is not a web address: its scheme is data:", "use an http:// or https:// address"),
    ("//evil.example/", "has no scheme", "add https: in front: https://evil.example/"),
    ("times.example/story", "has no scheme", "add https:// in front: https://times.example/story"),
    ("https://times.example:99999/a", "has port 99999; ports go up to 65535", "remove ':99999', or correct it"),
    ("#", "is a placeholder, not an address", "paste the page's address, or remove the url"),
])
def test_source_and_via_urls_must_be_web_urls(site, field, url, message, hint):
    """Each refused URL is named with what is wrong with it, and the fix."""
    site.article("a.md", {field: {"name": "Wire", "url": url}})
    error = one_error(site)
    assert (error["field"], error["message"], error["hint"]) == (f"{field}.url", f"'{url}' {message}", hint)
    assert error["line"] == ("6" if field == "source" else "9")  # the url: line inside the mapping


def test_source_needs_a_name(site):
    site.article("a.md", {"source": {"url": "https://times.example/"}})
    error = one_error(site)
    assert (error["field"], error["message"]) == ("source.name", "needs the outlet's name")


def test_source_unknown_key_with_hint(site):
    site.article("a.md", {"source": {"name": "Wire", "ulr": "https://times.example/"}})
    error = one_error(site)
    assert (error["field"], error["message"], error["hint"]) == (
        "source.ulr", "unknown key", "did you mean 'url'?")
    assert error["line"] == "6"


def test_unknown_field_with_hint(site):
    site.article("a.md", "title: A\ndate: 2016-11-09\nsource: Wire\ntagz: [x]")
    error = one_error(site)
    assert (error["line"], error["field"], error["message"]) == ("5", "tagz", "unknown field")
    assert error["hint"] == "did you mean 'tags'?"


def test_unknown_field_without_a_close_match_explains_extra(site):
    site.article("a.md", {"mood": "grim"})
    error = one_error(site)
    assert (error["field"], error["message"]) == ("mood", "unknown field")
    assert "extra:" in error["hint"]


def test_extra_holds_custom_fields(site):
    site.article("a.md", {"extra": {"mood": "grim", "score": 3}})
    site.build()


def test_no_front_matter(site):
    site.write("content/a.md", "Just some text\n\n---\n\nwith a rule.\n")
    error = one_error(site)
    assert (error["line"], error["field"], error["message"]) == ("1", "front-matter", "no front matter")
    assert "---" in error["hint"]


def test_empty_file(site):
    site.write("content/a.md", "")
    assert one_error(site)["message"] == "no front matter"


def test_unclosed_front_matter(site):
    site.write("content/a.md", "---\ntitle: A\ndate: 2016-11-09\n")
    assert one_error(site)["message"] == "front matter is not closed"


def test_front_matter_that_is_not_a_mapping(site):
    site.write("content/a.md", "---\n- title\n- date\n---\nbody\n")
    error = one_error(site)
    assert error["message"] == "front matter must be 'field: value' lines"


def test_duplicate_keys(site):
    site.write("content/a.md", "---\ntitle: A\ndate: 2016-11-09\nsource: Wire\ntitle: B\n---\nbody\n")
    error = one_error(site)
    assert (error["line"], error["field"], error["message"]) == ("5", "title", "duplicate field 'title'")


def test_duplicate_keys_in_a_nested_mapping(site):
    site.write("content/a.md", "---\ntitle: A\ndate: 2016-11-09\nsource:\n  name: W\n  name: X\n---\n")
    error = one_error(site)
    assert (error["line"], error["message"]) == ("6", "duplicate field 'name'")


def test_yaml_aliases_are_refused(site):
    site.write("content/a.md", "---\ntitle: &t A\ndate: 2016-11-09\nsource: *t\n---\n")
    error = one_error(site)
    assert error["line"] in ("2", "4") and "aliases" in error["message"]  # the anchor or the alias


@pytest.mark.parametrize("front_matter, line", [
    ("title: A\ndate: 2016-11-09\ntags: [a, b\nsource: Wire\n", (4, 5)),
    ("title: A: b\ndate: 2016-11-09\nsource: Wire\n", (2, 2)),
    ("title: A\ndate: 2016-11-09\nsource: Wire\n  bad: indent\n", (4, 5)),
    ('title: "unclosed\ndate: 2016-11-09\nsource: Wire\n', (2, 5)),
])
def test_malformed_yaml_points_into_the_file(site, front_matter, line):
    site.write("content/a.md", f"---\n{front_matter}---\nBody\n")
    error = one_error(site)
    assert error["message"].startswith("invalid YAML")
    assert line[0] <= int(error["line"]) <= line[1], error.string
    assert error["hint"]


def test_non_utf8_file_names_the_line(site):
    site.write("content/a.md", "---\ntitle: A\ndate: 2016-11-09\nsource: Wire\n---\nCaf\xe9\n".encode("latin-1"))
    error = one_error(site)
    assert error["line"] == "6"
    assert "UTF-8" in error["message"] and "0xe9" in error["message"]
    assert "UTF-8" in error["hint"]


def test_bom_and_crlf_are_accepted(site):
    text = "---\r\ntitle: Windows file\r\ndate: 2016-11-09\r\nsource: Wire\r\n---\r\nFirst line\r\n\r\nSecond\r\n"
    site.write("content/a.md", b"\xef\xbb\xbf" + text.encode())
    site.write("content/b.md", b"---\rtitle: Old Mac file\rdate: 2016-11-09\rsource: Wire\r---\rText\r")
    site.build()
    page = site.page("/2016/11/09/windows-file/")
    assert page.h1 == "Windows file"
    assert [p.text for p in page.find("div", cls="article-body").find_all("p")] == ["First line", "Second"]
    assert "\r" not in site.read("/2016/11/09/windows-file/")
    assert site.page("/2016/11/09/old-mac-file/").h1 == "Old Mac file"


# ---------------------------------------------------------------- YAML 1.1 surprises


def test_yaml_11_scalars_stay_text(site):
    site.write("content/a.md", "---\ntitle: yes\ndate: 2016-11-09\nslug: 010\ntags: [on, off, 1e3]\n"
                               "regions: [NO, Y]\nsource: {name: null-island, url: 'https://n.example/'}\n---\n")
    site.build()
    page = site.page("/2016/11/09/010/")
    assert page.h1 == "yes"
    assert page.find("dl", cls="terms").links() == {
        "on": "/tags/on/", "off": "/tags/off/", "1e3": "/tags/1e3/", "NO": "/regions/no/", "Y": "/regions/y/"}
    assert site.page("/regions/no/").h1 == "NO"


@pytest.mark.parametrize("value", ["yes", "no", "on", "1", "y", "[true]"])
def test_draft_must_be_true_or_false(site, value):
    site.article("a.md", f"title: A\ndate: 2016-11-09\nsource: Wire\ndraft: {value}")
    error = one_error(site)
    assert (error["line"], error["field"]) == ("5", "draft")
    assert error["message"].startswith("must be true or false")


@pytest.mark.parametrize("value", ["true", "True", "false"])
def test_draft_true_and_false_work(site, value):
    site.article("a.md", f"title: A\ndate: 2016-11-09\nsource: Wire\ndraft: {value}")
    site.build()
    assert site.exists("/2016/11/09/a/") == (value == "false")


def test_original_yes_is_an_error(site):
    site.article("a.md", "title: A\ndate: 2016-11-09\nsource: Wire\noriginal: yes")
    assert one_error(site)["field"] == "original"


# ---------------------------------------------------------------- slugs


@pytest.mark.parametrize("slug", ["../../etc", "../x", "a/b", "..", "a\\b", "/etc/passwd", "x/../../y"])
def test_path_like_slug_is_rejected(site, slug, tmp_path):
    site.article("a.md", {"slug": slug})
    error = one_error(site)
    assert (error["field"], error["message"]) == ("slug", f"'{slug}' is not a single URL segment")
    assert "slug:" in error["hint"]
    assert {p.name for p in tmp_path.iterdir()} == {"site"}  # nothing written beside the site


@pytest.mark.parametrize("slug, url", [
    ("Hello World", "/2016/11/09/hello-world/"),
    (".", None),
    ("%2e%2e", "/2016/11/09/percent-2e-percent-2e/"),
    ("Дипломатия", "/2016/11/09/diplomatiia/"),
    ("a.b", "/2016/11/09/a-b/"),
])
def test_odd_slugs_are_cleaned_into_one_segment(site, slug, url, tmp_path):
    site.article("a.md", {"slug": slug})
    site.build()
    articles = [u for u in site.urls() if u.count("/") == 5 and u.startswith("/2016/11/09/")]
    assert len(articles) == 1
    if url:
        assert articles == [url]
    for path in tmp_path.rglob("*"):
        assert path.is_relative_to(tmp_path / "site") or path == tmp_path / "site"
    assert all(p.resolve().is_relative_to(site.output.resolve()) for p in site.output.rglob("*"))


# ---------------------------------------------------------------- many problems at once


def test_every_error_of_a_build_is_reported(site):
    site.article("good.md", {"title": "Good"})
    site.article("no-title.md", {"title": DROP})
    site.article("bad-date.md", {"date": "someday"})
    site.article("two-problems.md", {"disclaimer": "nope", "source": DROP})
    site.write("content/no-fm.md", "text\n")
    site.write("content/latin1.md", b"---\ntitle: \xe9\n---\n")
    result = site.cli("build")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    errors = parse_errors(result.stderr)
    found = {(e["path"], e["field"]) for e in errors}
    assert found == {
        ("content/no-title.md", "title"),
        ("content/bad-date.md", "date"),
        ("content/two-problems.md", "disclaimer"),
        ("content/two-problems.md", "source"),
        ("content/no-fm.md", "front-matter"),
        ("content/latin1.md", "encoding"),
    }
    assert "6 error(s); nothing was written." in result.stderr
    assert not site.output.exists()


def test_one_file_reports_all_its_problems(site):
    site.article("a.md", "title: [x]\ndate: nope\ndraft: maybe\nsource: {url: 'ftp://x'}\ncolour: red")
    errors = site.build_errors()
    fields = sorted(e.split(": ")[1] for e in errors)
    assert fields == ["colour", "date", "draft", "source.name", "source.url", "title"], errors


def test_errors_are_sorted_by_file_and_line(site):
    site.article("b.md", "title: B\ndate: nope\nsource: W\ndraft: maybe")
    site.article("a.md", "title: A\ndate: 2016-11-09\nsource: W\ndraft: maybe\nzzz: 1")
    errors = site.build_errors()
    assert [e.split(": ")[0] for e in errors] == [
        "content/a.md:5", "content/a.md:6", "content/b.md:3", "content/b.md:5"]


def test_check_reports_the_same_without_writing(site):
    site.article("a.md", {"title": DROP})
    site.article("b.md", {"date": "later"})
    build = site.cli("build")
    check = site.cli("check")
    assert check.exit_code == build.exit_code == 1
    assert check.stderr == build.stderr
    assert not site.output.exists()


def test_check_json_lists_errors(site):
    import json
    site.article("a.md", {"title": DROP})
    result = site.cli("check", "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False
    assert report["errors"] == [{"path": "content/a.md", "line": 1, "field": "title",
                                 "message": "required field is missing",
                                 "hint": 'add a line title: "…"', "severity": "error"}]


def test_check_ok(site):
    site.article("a.md", {"title": "A"})
    result = site.cli("check")
    assert result.exit_code == 0
    assert re.match(r"OK: 1 articles?\b", result.stdout), result.stdout
    assert not site.output.exists()


def test_errors_in_a_subprocess_are_lines_not_tracebacks(site):
    site.article("a.md", {"title": DROP})
    site.write("content/b.md", b"\xff\xfe")
    result = run_digest("build", cwd=site.root)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert [e["path"] for e in parse_errors(result.stderr)] == ["content/a.md", "content/b.md"]
    assert not (site.root / "public").exists()


def test_hidden_and_temporary_files_are_ignored(site):
    site.article("a.md", {"title": "A"})
    site.write("content/.a.md.swp", b"\x00\xff")
    site.write("content/a.md~", "junk")
    site.write("content/#a.md#", "junk")
    site.write("content/_drafts/x.md", "junk")
    site.write("content/.hidden/x.md", "junk")
    site.write("content/notes.txt", "junk")
    site.build()
    assert site.exists("/2016/11/09/a/")


@pytest.mark.parametrize("character", ["\x01", "\x1b", "\x7f"])
def test_control_character_in_front_matter_is_one_located_error(site, character):
    site.write("content/a.md", f"---\ntitle: Дипломатия\ndate: 2016-11-09\nsource: Wire\n"
                               f"summary: bad{character}char\n---\nbody\n")
    error = one_error(site)  # one line, parsed: no multi-line YAML message
    assert error["line"] == "5"
    assert error["message"] == f"invalid YAML: character U+{ord(character):04X} is not allowed"


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_non_utf8_line_whatever_the_line_endings(site, newline):
    text = newline.join(["---", "title: A", "date: 2016-11-09", "source: Wire", "---", "ok", "Caf\xe9", ""])
    site.write("content/a.md", text.encode("latin-1"))
    assert one_error(site)["line"] == "7"
