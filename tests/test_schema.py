"""The front-matter schema is declared once (digest/site/schema.py) and everything follows it.

Adding a field means a line in the schema and an attribute on model.Article: these tests
fail when anything else (validation, `digest new`, the importer, README's table) is out of
step, and they prove each field is validated under its own name.
"""
from __future__ import annotations

import re
from dataclasses import fields

import pytest
from conftest import REPO_ROOT

from digest.editor import article_text as scaffold
from digest.editor.article_text import Draft, article_text
from digest.editor.clip import fit as clipfit
from digest.site import images, schema
from digest.site.articles import READERS, ArticleErrors, load_article
from digest.site.config import ARTICLE_FIELDS, Config, load_config
from digest.site.model import Article, Correction, Image, Link, Removal, Source
from digest.site.schema import FIELDS, NAMES, TAXONOMY, Field, keys_of, markdown_table

README = REPO_ROOT / "README.md"
# Article attributes no front-matter field fills: where the file is and what the build makes of it.
DERIVED = {"path", "url", "body_html", "lines", "body_key"}
RECORDS = {"source": Source, "via": Link, "image": Image,  # the record of each mapping field
           "corrections": Correction, "removed": Removal}  # (of each item of a list of mappings)
VALID = {  # a valid article, each field as YAML
    "title": '"Moscow signals readiness"', "date": "2016-11-09", "updated": "2016-11-10",
    "original": "false", "source": "{name: Example Times, url: https://times.example/a, published: 2016-11-08}",
    "slug": "moscow", "authors": "[A. Writer]", "tags": "[Diplomacy]", "regions": "[Russia]",
    "via": "{name: Wire, url: https://wire.example/b}", "copyright": '"Copyright © Example Times, 2016"',
    "disclaimer": "standard", "draft": "false", "summary": '"A lede."', "extra": "{label: x}",
    "image": '{src: a.png, alt: "A picture", caption: "Caption", credit: "Credit"}',
    "corrections": '[{date: 2016-11-11, text: "The *minister* is Lavrov."}]',
    "removed": '{date: 2016-11-12, reason: "Removed at the request of the copyright holder."}',
    "aliases": "[/2016/11/01/old-slug/]",
}
# A value of each type that validation refuses; a key of a mapping: the mapping with that key bad.
INVALID = {
    "text": "[a, b]", "verbatim": "[a, b]", "date": "yesterday", "boolean": "yes", "names": "{a: b}",
    "terms": "{a: b}", "slug": "a/b", "source": "[a]", "link": "[a]", "disclaimer": "fair_use",
    "mapping": "[a]", "image": "picture.png", "corrections": "{date: 2016-11-11}", "removal": "gone",
    "aliases": "{a: b}",
}
INVALID_KEY = {
    "source.name": '{name: "", url: https://times.example/a}',
    "source.url": "{name: Example Times, url: www.times.example/a}",
    "source.published": "{name: Example Times, published: yesterday}",
    "via.name": "{url: https://wire.example/b}", "via.url": "{name: Wire, url: '#'}",
    "image.src": '{src: ../a.png, alt: "A picture"}', "image.alt": '{src: a.png, alt: ""}',
    "image.caption": '{src: a.png, alt: "A picture", caption: [a]}',
    "image.credit": '{src: a.png, alt: "A picture", credit: [a]}',
    "corrections.date": '[{date: 2016-11-01, text: "Before the article."}]',
    "corrections.text": "[{date: 2016-11-11, text: [a]}]",
    "removed.date": "{date: later, reason: Gone}",
    "removed.reason": '{date: 2016-11-12, reason: ""}',
}
LISTS = ("corrections",)  # lists of mappings: errors name the item, 'corrections[1].date'


def unindexed(field: str | None) -> str | None:
    """'corrections.date' for 'corrections[1].date'."""
    return re.sub(r"\[\d+\]", "", field) if field else field


@pytest.fixture
def config(site) -> Config:
    return load_config(site.root)


def load(config: Config, values: dict[str, str]) -> Article:
    text = "---\n" + "".join(f"{k}: {v}\n" for k, v in values.items()) + "---\n\nThe body.\n"
    return load_article(text.encode(), "content/a.md", config)


def errors(config: Config, values: dict[str, str]) -> list[tuple[str | None, str]]:
    with pytest.raises(ArticleErrors) as info:
        load(config, values)
    return [(e.field, e.message) for e in info.value.errors]


def top_level() -> list[Field]:
    return [f for f in FIELDS if f.parent is None]


# ---------------------------------------------------------------- the schema itself


def test_fields_are_unique_and_keys_belong_to_mapping_fields():
    names = [f.name for f in FIELDS]
    assert len(names) == len(set(names))
    for f in FIELDS:
        assert f.help, f"{f.name}: every field says what it is"
        if f.parent is not None:
            assert schema.BY_NAME[f.parent].type in ("source", "link", "image", "corrections", "removal"), f.name
            assert names.index(f.parent) < names.index(f.name), f"{f.name} follows {f.parent}"


def test_readers_come_after_the_fields_they_depend_on():
    names = [f.name for f in FIELDS]
    assert names.index("title") < names.index("slug")
    assert names.index("original") < names.index("source")


# ---------------------------------------------------------------- validation follows it


def test_every_field_type_has_a_reader():
    assert {f.type for f in top_level()} <= set(READERS)


def test_the_valid_article_uses_every_field(config):
    top = {f.name for f in top_level()} - {TAXONOMY}
    assert set(VALID) == top | set(config.taxonomies)
    article = load(config, VALID)
    assert article.image is not None and article.source is not None and article.via is not None
    assert article.removed is not None and len(article.corrections) == 1
    for name, record in (("source", article.source), ("via", article.via), ("image", article.image),
                         ("corrections", article.corrections[0]), ("removed", article.removed)):
        assert all(getattr(record, key) is not None for key in keys_of(name)), name


@pytest.mark.parametrize("field", top_level(), ids=lambda f: f.name)
def test_every_field_is_validated_under_its_own_name(config, field: Field):
    name = "tags" if field.name == TAXONOMY else field.name
    assert field.type in INVALID, f"add a refused value of type {field.type!r} to INVALID"
    found = errors(config, {**VALID, name: INVALID[field.type]})
    assert found and {f for f, _ in found} == {name}, found


@pytest.mark.parametrize("field", [f for f in FIELDS if f.parent], ids=lambda f: f.name)
def test_every_key_of_a_mapping_is_validated_under_its_own_name(config, field: Field):
    assert field.name in INVALID_KEY, f"add a refused value for {field.name} to INVALID_KEY"
    found = errors(config, {**VALID, field.parent or "": INVALID_KEY[field.name]})
    assert [unindexed(f) for f, _ in found] == [field.name], found


@pytest.mark.parametrize("field", [f for f in FIELDS if f.required], ids=lambda f: f.name)
def test_required_fields_are_required(config, field: Field):
    if field.parent is None:
        found = errors(config, {k: v for k, v in VALID.items() if k != field.name})
        assert found == [(field.name, "required field is missing")]
    else:
        mapping = {"source": "{url: https://times.example/a}", "via": "{url: https://wire.example/b}",
                   "image": "{src: a.png}" if field.key == "alt" else '{alt: "A picture"}',
                   "corrections": "[{text: x}]" if field.key == "date" else "[{date: 2016-11-11}]",
                   "removed": "{reason: x}" if field.key == "date" else "{date: 2016-11-12}"}[field.parent]
        assert [unindexed(f) for f, _ in errors(config, {**VALID, field.parent: mapping})] == [field.name]


def test_unknown_fields_and_keys_are_refused_as_before(config):
    assert errors(config, {**VALID, "titel": "x"}) == [("titel", "unknown field")]
    with pytest.raises(ArticleErrors) as info:
        load(config, {**VALID, "titel": "x", "colour": "red"})
    (titel, colour) = info.value.errors
    assert (titel.line, titel.hint) == (len(VALID) + 2, "did you mean 'title'?")
    assert colour.hint == "custom data goes under 'extra:'; taxonomies are declared in site.toml"
    with pytest.raises(ArticleErrors) as info:
        load(config, {**VALID, "via": "{name: Wire, published: 2016-11-08}"})
    (error,) = info.value.errors
    assert (error.field, error.message, error.hint) == ("via.published", "unknown key", "via takes name, url")


def test_a_taxonomy_may_not_take_a_field_name():
    assert ARTICLE_FIELDS == NAMES == {f.name for f in top_level()} - {TAXONOMY}


# ---------------------------------------------------------------- the model follows it


def test_every_top_level_field_is_an_article_attribute():
    attributes = {f.name for f in fields(Article)}
    assert {f.attr for f in top_level()} == attributes - DERIVED


def test_every_key_of_a_mapping_is_an_attribute_of_its_record():
    for parent, record in RECORDS.items():
        assert keys_of(parent) == tuple(f.name for f in fields(record)), parent
    assert {f.name for f in top_level() if f.type in ("source", "link", "image", "corrections", "removal")} \
        == set(RECORDS)


def test_the_image_reader_takes_the_schemas_keys():
    assert images.KEYS == keys_of("image")


# ---------------------------------------------------------------- digest new and the importer


def test_a_new_article_names_every_field(config):
    text = article_text(Draft(title="A", date="2016-11-09"), config)
    written = {m.group(2) for m in re.finditer(r"^(# )?(\w+):", text, re.MULTILINE)}
    assert written >= NAMES | set(config.taxonomies)
    assert scaffold.WRITTEN <= NAMES
    for name in ("updated", "original", "via", "draft", "extra"):
        assert f"# {schema.help_of(name)}" in text, name
    original = article_text(Draft(title="A", date="2016-11-09", original=True), config)
    assert f"# {schema.help_of('source')}" in original


def test_the_importer_clears_only_schema_fields():
    assert set(clipfit.CLEARED) <= set(schema.BY_NAME)


# ---------------------------------------------------------------- README


def test_readme_front_matter_table_is_the_schemas():
    text = README.read_text(encoding="utf-8")
    table = markdown_table()
    header = table.splitlines()[0]
    assert text.count(header) == 1, "README.md has no front-matter table (or two)"
    start = text.index(header)
    end = text.find("\n\n", start)
    found = text[start:end + 1]
    assert found == table, (
        "README.md's front-matter table differs from digest/site/schema.py; paste the output of\n"
        "  python -c 'from digest.site.schema import markdown_table; print(markdown_table(), end=\"\")'\n"
        f"in its place.\n--- README\n{found}\n--- schema\n{table}")
