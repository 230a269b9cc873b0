"""site.toml: every problem reported with its key, line and a hint; nothing built."""
from __future__ import annotations

import re

import pytest
from conftest import DROP


def config_errors(site) -> list[str]:
    """`digest check` must fail on site.toml; its error lines."""
    site.article("a.md", {"title": "A"})
    result = site.cli("check")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = [ln for ln in result.stderr.splitlines() if "error(s)" not in ln]
    assert lines and all(ln.startswith("site.toml") for ln in lines), result.stderr
    build = site.cli("build")
    assert build.exit_code == 1 and build.stderr == result.stderr
    assert not site.output.exists()
    return lines


def line_of(site, needle: str) -> int:
    text = (site.root / "site.toml").read_text().splitlines()
    return next(i for i, ln in enumerate(text, 1) if needle in ln)


def test_default_config_is_valid(site):
    site.article("a.md", {"title": "A"})
    assert site.cli("check").exit_code == 0


def test_minimal_config(make_site):
    site = make_site(config='title = "T"\nbase_url = "https://t.example"\n')
    site.article("a.md", {"title": "A", "tags": ["x"]})
    site.build()
    page = site.page("/2016/11/09/a/")
    # defaults: UTC, tags taxonomy named "Tags", no disclaimer
    assert page.find("time").get("datetime") == "2016-11-09T00:00:00+00:00"
    assert site.page("/tags/").find("link", rel="canonical").get("href") == "https://t.example/tags/"
    assert site.page("/tags/").h1 == "Tags"
    assert not page.has("aside", cls="disclaimer")


def test_unknown_key_did_you_mean(make_site):
    site = make_site(titel="Oops")
    [error] = config_errors(site)
    assert error == f"site.toml:{line_of(site, 'titel')}: titel: unknown key (did you mean 'title'?)"


def test_unknown_key_without_a_close_match_lists_known_keys(make_site):
    site = make_site(colour="red")
    [error] = config_errors(site)
    assert error.startswith(f"site.toml:{line_of(site, 'colour')}: colour: unknown key (known keys: title, ")


@pytest.mark.parametrize("key", ["title", "base_url"])
def test_missing_required_key(make_site, key):
    site = make_site(**{key: DROP})
    [error] = config_errors(site)
    assert error.startswith(f"site.toml: {key}: required key is missing (add {key} = ")


def test_missing_title_and_base_url_both_reported(make_site):
    site = make_site(title=DROP, base_url=DROP)
    errors = config_errors(site)
    assert [e.split(": ")[1] for e in errors] == ["base_url", "title"]


@pytest.mark.parametrize("zone", ["Mars/Olympus", "EST5EDT/x", "", "../etc/localtime"])
def test_bad_timezone(make_site, zone):
    site = make_site(timezone=zone)
    [error] = config_errors(site)
    assert error.startswith(f"site.toml:{line_of(site, 'timezone')}: timezone: ")


def test_unknown_default_disclaimer(make_site):
    site = make_site(default_disclaimer="standrad")
    [error] = config_errors(site)
    assert error == (f"site.toml:{line_of(site, 'default_disclaimer')}: default_disclaimer: "
                     "unknown disclaimer 'standrad' (did you mean 'standard'?)")


def test_default_disclaimer_without_any_disclaimers(make_site):
    site = make_site(disclaimers=DROP)
    [error] = config_errors(site)
    assert "unknown disclaimer 'standard'" in error and "[disclaimers]" in error


def test_bad_source_settings(make_site):
    site = make_site(sources={
        "Wire": {"disclaimr": "standard"},
        "Post": {"url": "ftp://post.example/"},
        "Times": {"disclaimer": "nope"},
    })
    errors = config_errors(site)
    assert len(errors) == 3, errors
    assert f"site.toml:{line_of(site, 'disclaimr')}: sources.\"Wire\".disclaimr: unknown key " \
           "(did you mean 'disclaimer'?)" in errors
    assert f"site.toml:{line_of(site, 'ftp://')}: sources.\"Post\".url: 'ftp://post.example/' is not a web " \
           "address: its scheme is ftp: (use an http:// or https:// address)" in errors
    assert any(e.startswith(f"site.toml:{line_of(site, 'nope')}: sources.\"Times\".disclaimer: "
                            "unknown disclaimer 'nope'") for e in errors)


def test_source_that_is_not_a_table(make_site):
    site = make_site(config='title = "T"\nbase_url = "https://t.example/"\n[sources]\nWire = "x"\n')
    [error] = config_errors(site)
    assert error.startswith("site.toml:4: sources.Wire: must be a table")


@pytest.mark.parametrize("overrides, key", [
    ({"paginate": 0}, "paginate"),
    ({"paginate": "10"}, "paginate"),
    ({"feed_limit": -1}, "feed_limit"),
    ({"allow_html": "yes"}, "allow_html"),
    ({"base_url": "ftp://x.example/"}, "base_url"),
    ({"base_url": "digest.example"}, "base_url"),
    ({"title": ""}, "title"),
    ({"language": 5}, "language"),
    ({"taxonomies": {"sources": "S"}}, "taxonomies.sources"),
    ({"taxonomies": {"title": "T"}}, "taxonomies.title"),
    ({"taxonomies": {"Big Tags": "T"}}, "taxonomies.Big Tags"),
    ({"disclaimers": {"x": 1}}, "disclaimers"),
])
def test_bad_values(make_site, overrides, key):
    site = make_site(**overrides)
    errors = config_errors(site)
    assert any(re.match(rf"site\.toml:\d+: {re.escape(key)}: ", e) for e in errors), errors


def test_every_config_problem_at_once(make_site):
    site = make_site(titel="x", paginate=0, timezone="Nowhere", default_disclaimer="zzz")
    errors = config_errors(site)
    assert sorted(e.split(": ")[1] for e in errors) == ["default_disclaimer", "paginate", "timezone", "titel"]


@pytest.mark.parametrize("text, line", [
    ('title = "T"\nbase_url = "https://t.example/"\n[taxonomies\ntags = "T"\n', 3),
    ('title = "T"\nbase_url = "https://t.example/"\ntitle = "again"\n', 3),
    ('title = "T\nbase_url = "https://t.example/"\n', 1),
    ('title = "T"\n\n\nbase_url = https://t.example/\n', 4),
])
def test_toml_syntax_error_has_its_line(make_site, text, line):
    site = make_site(config=text)
    [error] = config_errors(site)
    assert error.startswith(f"site.toml:{line}: syntax: invalid TOML: ")
    assert error.endswith("(check quotes, '=' signs and [table] headers)")


def test_non_utf8_config(make_site):
    site = make_site(config=False)
    site.write("site.toml", 'title = "Caf\xe9"\nbase_url = "https://t.example/"\n'.encode("latin-1"))
    [error] = config_errors(site)
    assert error == ("site.toml:1: encoding: not valid UTF-8 (byte 0xe9 at offset 12) "
                     "(save the file as UTF-8)")


def test_config_with_bom_and_crlf(make_site):
    site = make_site(config=False)
    site.write("site.toml", b'\xef\xbb\xbftitle = "T"\r\nbase_url = "https://t.example/"\r\n')
    site.article("a.md", {"title": "A"})
    site.build()
    assert site.page("/").title == "T"


def test_no_site_toml(make_site):
    site = make_site(config=False)
    result = site.cli("build")
    assert result.exit_code == 1
    assert result.stderr.startswith("site.toml: file: not found: this folder holds no site (run 'digest init DIR'")
    assert "Traceback" not in result.output


def test_config_errors_come_before_content(make_site):
    site = make_site(titel="x")
    site.article("b.md", {"title": DROP})
    result = site.cli("build")
    assert result.exit_code == 1
    assert "titel" in result.stderr


def test_source_settings_apply_by_loose_name(make_site):
    site = make_site(sources={"the baltic ledger": {"description": "Riga wire.",
                                                    "url": "https://ledger.example/"}})
    site.article("a.md", {"title": "A", "source": {"name": "The Baltic Ledger"}})
    site.build()
    assert site.page("/sources/the-baltic-ledger/").find("p", cls="page-description").text == "Riga wire."


@pytest.mark.parametrize("header", ["[sources.Beta]", "[sources.'Beta']", '[ sources . "Beta" ]'])
def test_source_error_lines_whatever_the_table_header_spelling(make_site, header):
    site = make_site(config='title = "T"\nbase_url = "https://t.example/"\n\n'
                            '[sources.Alpha]\nurl = "https://a.example/"\n\n'
                            f'{header}\nurl = "ftp://b.example/"\ndisclaimr = "x"\n')
    errors = config_errors(site)
    assert errors == ['site.toml:8: sources."Beta".url: \'ftp://b.example/\' is not a web address: its '
                      'scheme is ftp: (use an http:// or https:// address)',
                      "site.toml:9: sources.\"Beta\".disclaimr: unknown key (did you mean 'disclaimer'?)"]
