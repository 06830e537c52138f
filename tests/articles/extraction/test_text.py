"""Text helpers of the rule stages: the quote mask and the two regex speed-ups."""

from __future__ import annotations

import re

import pytest

from articles.extraction._text import (
    CaselessPattern,
    by_first_letter,
    lowered_as_ignorecase,
    quoted_word_share,
)

SAMPLE = (
    "Officials said the law was passed; critics claimed it bans lawful protest. "
    "He added, as the court ruled, that licences are licensed and a ban is banned. Lawful? LAWS."
)


def test_by_first_letter_finds_what_the_plain_alternation_finds():
    words = "said|says|saw|claimed|claims|added|adds|law|laws|lawful|ban|bans|banned|licen[cs]e[sd]?"
    plain = re.compile(r"\b(?:" + words + r")\b")
    grouped = re.compile(r"\b" + by_first_letter(words) + r"\b")
    assert [m.span() for m in grouped.finditer(SAMPLE)] == [m.span() for m in plain.finditer(SAMPLE)]


def test_by_first_letter_groups_branches_and_keeps_the_others_as_they_are():
    assert by_first_letter("ban|bans|(?:is|are) set|law") == "(?:b(?:an|ans)|law|(?:is|are) set)"
    assert by_first_letter("a|ab|x(?:y|z)") == "(?:a(?:|b)|x(?:y|z))"


def test_caseless_pattern_matches_like_ignorecase_on_ascii_and_other_text():
    pattern = r"\b(?:should|it's time|ban)\b"
    caseless = CaselessPattern(pattern)
    ignorecase = re.compile(pattern, re.IGNORECASE)
    for text in [
        "They SHOULD go.",
        "It's Time.",
        "no match here",
        "Bannister",
        "Über BAN",
        "ſhould (long s)",
        "£5m: they SHOULD pay",
        "İt's time",
        "ıt's tıme",
        "BAN\u212a",
        "ΣΑΣ ban",
    ]:
        assert caseless.found_in(text) is (ignorecase.search(text) is not None), text


def test_caseless_pattern_must_be_written_in_lowercase():
    with pytest.raises(ValueError):
        CaselessPattern(r"\bAct\b")


def test_quoted_word_share():
    assert quoted_word_share('He said "we will win this" today.') == pytest.approx(4 / 7)
    assert quoted_word_share("Nothing quoted here.") == 0.0
    assert quoted_word_share("") == 0.0


def test_by_first_letter_at_a_word_start_finds_what_a_leading_word_boundary_finds():
    words = "you|your|law|laws|ban|(?:is|are) set|ruled"
    plain = re.compile(r"\b(?:" + words + r")\b")
    letter_first = re.compile(by_first_letter(words, word_start=True) + r"\b")
    for text in [SAMPLE, "outlaw laws byou your-ban", "is set, are set; x-is set", "", "law"]:
        assert [m.span() for m in letter_first.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_by_first_letter_at_a_word_start_opens_each_branch_with_its_letter():
    assert by_first_letter("you|your|may", word_start=True) == r"(?:y(?<!\wy)(?:ou|our)|m(?<!\wm)ay)"
    assert by_first_letter("ban|(?:is|are) set", word_start=True) == r"(?:b(?<!\wb)an|\b(?:(?:is|are) set))"


def test_lowercasing_folds_case_as_ignorecase_does_for_every_character_but_the_listed_ones():
    """For each code point: its lowercase is one character, matches the same ASCII letter re.IGNORECASE
    matches it to, and has the same \\w, \\d and \\s; or the text holding it is not lowered."""
    import sys

    letter = re.compile("[a-z]", re.IGNORECASE)
    classes = [re.compile(c) for c in (r"\w", r"\d", r"\s")]
    apart = []
    for code in range(128, sys.maxunicode + 1):
        ch = chr(code)
        low = ch.lower()
        same = len(low) == 1 and all((c.fullmatch(ch) is None) == (c.fullmatch(low) is None) for c in classes)
        if same and letter.fullmatch(ch):
            same = low.isascii() and re.fullmatch(low, ch, re.IGNORECASE) is not None
        elif same:
            same = not (low.isascii() and low.isalpha())
        if not same:
            apart.append(ch)
            assert lowered_as_ignorecase(f"a {ch} b") is None, hex(code)
    assert apart == ["İ", "ı", "ſ"]
    assert lowered_as_ignorecase("£5 Kelvin \u212a") == "£5 kelvin k"
    assert lowered_as_ignorecase("PLAIN") == "plain"


def test_caseless_pattern_must_be_written_in_ascii():
    with pytest.raises(ValueError):
        CaselessPattern(r"\bcafé\b")


def test_masking_ascii_by_table_is_the_same_as_the_regex():
    import random

    from articles.extraction._text import _NON_SPACE, MASK, _masked

    rng = random.Random(7)
    alphabet = [chr(i) for i in range(128)] + ["é", "\u00a0", "\u2003", "“", "\x85"]
    for _ in range(5000):
        text = "".join(rng.choices(alphabet, k=rng.randint(0, 40)))
        assert _masked(text) == _NON_SPACE.sub(MASK, text), repr(text)
