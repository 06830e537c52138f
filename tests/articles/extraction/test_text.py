"""Text helpers of the rule stages: the quote mask and the two regex speed-ups."""

from __future__ import annotations

import re

import pytest

from articles.extraction._text import CaselessPattern, by_first_letter, quoted_word_share

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
