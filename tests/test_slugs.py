"""digest/site/slugs.py on its own: exact slugs for symbols, widths, lengths and letterless text,
and the judge of the property tests (`is_safe_segment`) at its edges."""
from __future__ import annotations

import pytest

from digest.site.slugs import MAX_SLUG, is_safe_segment, slugify, term_key, term_slug


@pytest.mark.parametrize("text, key", [
    ("  U.S.\u3000Elections\t", "u.s. elections"),  # ideographic space and tab are whitespace too
    ("Straße", "strasse"),  # case folding, not lower-casing
    ("ＤＩＰＬＯＭＡＣＹ", "diplomacy"),  # full-width letters
    ("ﬁnance", "finance"),  # the 'fi' ligature
    ("a \n b", "a b"),
])
def test_term_key(text, key):
    assert term_key(text) == key


@pytest.mark.parametrize("text, slug", [
    ("C++", "c-plus-plus"),
    ("C+", "c-plus"),
    ("a+b++c", "a-plus-b-plus-plus-c"),
    ("C#", "c-sharp"),
    ("AT&T", "at-and-t"),
    ("@home", "at-home"),
    ("e-mail@", "e-mail-at"),
    ("100%", "100-percent"),
    ("50 % off", "50-percent-off"),
    ("Ｃ＋＋", "c-plus-plus"),  # full-width symbols count once normalised (NFKC)
    ("Straße", "strasse"),
    ("Дипломатия", "diplomatiia"),
])
def test_slugify_spells_symbols_out(text, slug):
    assert slugify(text) == slug


@pytest.mark.parametrize("names", [["@home", "home"], ["100%", "100"], ["AT&T", "AT T"], ["C#", "C"]])
def test_a_symbol_keeps_terms_apart(names):
    first, second = names
    assert term_slug(first) != term_slug(second)


def test_long_text_is_cut_at_a_word_boundary_within_the_limit():
    words = " ".join(["abcdefghijk"] * 9)
    assert slugify(words) == "-".join(["abcdefghijk"] * 6)  # 71 characters; a seventh word would pass 80
    assert len(slugify("x" * 500)) == MAX_SLUG == 80


def test_long_text_keeps_its_word_order():
    # a word that does not fit ends the slug: later, shorter words are not pulled forward
    assert slugify("a" * 70 + " " + "b" * 20 + " " + "c" * 5) == "a" * 70


@pytest.mark.parametrize("text, slug", [
    ("🌍", "t-757ce75a59"),
    (" 🌍\t", "t-757ce75a59"),  # the hash is of the term key: spacing does not matter
    ("🔥", "t-d8f26c88ff"),
    ("", "t-da39a3ee5e"),
])
def test_text_without_letters_gets_a_pinned_hash_slug(text, slug):
    assert slugify(text) == slug


@pytest.mark.parametrize("name, slug", [
    ("U.S.  Elections", "u-s-elections"),
    ("  Diplomacy ", "diplomacy"),
    ("Ｃ＋＋", "c-plus-plus"),
    ("🌍 ", "t-757ce75a59"),
])
def test_term_slug(name, slug):
    assert term_slug(name) == slug


@pytest.mark.parametrize("slug", ["a", "0", "a-b", "c-plus-plus", "2016-us-elections", "x" * 200])
def test_safe_segments(slug):
    assert is_safe_segment(slug) is True


@pytest.mark.parametrize("slug", [
    "", "x" * 201, "-a", "a-", "a--b", "A", "a_b", "a b", "é", "a/b", "a.b", "..", ".", "a\n", "\na", "a\\b",
])
def test_unsafe_segments(slug):
    assert is_safe_segment(slug) is False
