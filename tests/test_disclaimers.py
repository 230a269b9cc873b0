"""digest/editor/clip/disclaimers.py on its own: the words compared, the exact similarity, the threshold at
its boundary, the key suggested for a new notice (also when it is taken) and its TOML entry."""
from __future__ import annotations

import tomllib

import pytest

from digest.editor.clip import disclaimers
from digest.editor.clip.disclaimers import Match, best_match, similarity, suggested_key, toml_entry, words


def test_words_are_lowercase_content_words_of_the_plain_text():
    assert words("The *Views* expressed here are NOT ours") == ["views", "expressed", "here", "ours"]
    assert words("[Fair use](https://x.example/) of copyrighted material, 2016!") == \
        ["fair", "copyrighted", "material", "2016"]
    assert words("") == []


@pytest.mark.parametrize("a, b, score", [
    ("copyrighted material", "copyrighted material", 1.0),
    ("Copyrighted *material*", "copyrighted material", 1.0),  # case and emphasis do not count
    ("copyrighted material", "copyrighted material reproduced", 0.7745967),  # 3 / √15
    ("news news", "news", 0.8944272),  # counts, not just presence: 2 / √5
    ("material copyrighted", "copyrighted material", 0.6666667),  # same words, another pair: 2 / 3
    ("copyrighted material", "opinion pieces", 0.0),
    ("", "copyrighted material", 0.0),
    ("the of and", "the of and", 0.0),  # stopwords only: nothing to compare
])
def test_similarity(a, b, score):
    assert similarity(a, b) == pytest.approx(score, abs=1e-7)
    assert similarity(b, a) == pytest.approx(score, abs=1e-7)


CONFIGURED = {
    "fair-use": "This article contains copyrighted material whose use has not been authorised; we believe "
                "this constitutes fair use for news reporting.",
    "opinion": "The views expressed in this article are the author's own and do not necessarily reflect ours.",
}


def test_best_match_finds_a_reworded_notice():
    notice = "This page contains copyrighted material, used without authorisation as fair use for reporting."
    match = best_match(notice, CONFIGURED)
    assert match is not None and match.key == "fair-use"
    assert match.score == pytest.approx(similarity(notice, CONFIGURED["fair-use"]))
    assert match.score > similarity(notice, CONFIGURED["opinion"])


def test_best_match_is_none_below_the_threshold_or_without_disclaimers():
    assert best_match("Subscribe to our newsletter for more stories.", CONFIGURED) is None
    assert best_match(CONFIGURED["opinion"], {}) is None


def test_the_threshold_itself_is_close_enough(monkeypatch):
    notice, text = "copyrighted material", "copyrighted material reproduced"
    monkeypatch.setattr(disclaimers, "THRESHOLD", similarity(notice, text))
    assert best_match(notice, {"k": text}) == Match("k", similarity(notice, text))
    monkeypatch.setattr(disclaimers, "THRESHOLD", similarity(notice, text) + 1e-9)
    assert best_match(notice, {"k": text}) is None


def test_equal_scores_pick_one_key_every_time():
    assert best_match("copyrighted material", {"a": "copyrighted material", "b": "copyrighted material"}) == \
        Match("b", 1.0)


@pytest.mark.parametrize("notice, kind", [
    ("This is FAIR USE of the material.", "fair-use"),
    ("Fair use applies; the views are the author's.", "fair-use"),  # fair use before views
    ("The views expressed are the author's own.", "opinion"),
    ("Views expressed here; syndicated content.", "opinion"),  # views before syndication
    ("This story is syndicated by a wire service.", "syndication"),
    ("Distributed under a Syndication agreement.", "syndication"),
    ("All rights reserved.", "notice"),
])
def test_suggested_key_names_the_kind_of_notice(notice, kind):
    assert suggested_key(notice, None, {}) == kind
    assert suggested_key(notice, "", {}) == kind
    assert suggested_key(notice, "Le Monde", {}) == f"le-monde-{kind}"


def test_suggested_key_that_is_taken_gets_a_number():
    taken = {"le-monde-fair-use": "…"}
    assert suggested_key("fair use", "Le Monde", taken) == "le-monde-fair-use-2"
    taken["le-monde-fair-use-2"] = "…"
    assert suggested_key("fair use", "Le Monde", taken) == "le-monde-fair-use-3"
    assert suggested_key("fair use", None, {"fair-use": "…", "fair-use-2": "…"}) == "fair-use-3"
    assert suggested_key("fair use", "C++ Times", {"fair-use": "…"}) == "c-plus-plus-times-fair-use"


def test_toml_entry_is_valid_toml_holding_the_notice():
    notice = '  Quoted "as is", a back\\slash, and """three quotes""".  \n'
    entry = toml_entry("le-monde-notice", notice)
    assert entry == ('[disclaimers]\nle-monde-notice = """\n'
                     'Quoted "as is", a back\\\\slash, and \\"\\"\\"three quotes\\"\\"\\".\n"""')
    assert tomllib.loads(entry) == {"disclaimers": {"le-monde-notice": notice.strip() + "\n"}}
