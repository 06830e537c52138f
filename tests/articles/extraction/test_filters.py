"""The filter: what never becomes a claim, and the traps that must stay claims."""

from __future__ import annotations

import pytest

from articles.extraction.filters import is_link_list_heading, reject_reason


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("By Anna Kowalska and James Reed", "byline"),
        ("Reporting by Tom Balmforth; Editing by Mark Heinrich", "byline"),
        ("Published 8 July 2025", "dateline"),
        ("KYIV, July 9 (Reuters) -", "dateline"),
        ("Image source, Getty Images", "caption"),
        ("Read more: Russia's summer offensive explained", "navigation"),
        ("Sign up for our morning briefing", "navigation"),
        ("Share this article", "navigation"),
        ("You may also like", "navigation"),
        ("Putin signs law allowing foreigners to enlist in Russian military", "headline"),
        ("Will the sanctions work?", "question"),
        ('"Who will pay for the reconstruction?" the mayor asked.', "question"),
        ("Download the full report from the ministry's website.", "imperative"),
        ("Please report any suspicious objects to the police.", "imperative"),
        ("I think the West has been far too slow.", "opinion"),
        ("This is a shameful betrayal of the people of Ukraine.", "opinion"),
        ("Thank you.", "fragment"),
    ],
)
def test_rejects_with_the_reason(line, reason):
    assert reject_reason(line, paragraph=line) == reason


@pytest.mark.parametrize(
    "line",
    [
        "By Friday, rescuers had pulled 37 people from the rubble.",
        "By law, every conscript must serve at least 12 months.",
        "KYIV (Reuters) - Russia launched 728 drones and 13 missiles at Ukraine overnight, the air force said.",
        "Shares in Rheinmetall rose 4% after the announcement.",
        "Support for joining Nato has risen to 72%, a poll by the Kyiv International Institute of Sociology found.",
        "The photo agency Getty Images said it had removed 12 manipulated images from its archive.",
        "The question of who pays for reconstruction remains open, the mayor said.",
        '"The government should resign," opposition leader Yulia Tymoshenko said.',
        "Under the new rules, landlords must register every tenancy with the council.",
    ],
)
def test_traps_stay_claims(line):
    assert reject_reason(line, paragraph=line) is None


def test_a_credit_in_the_line_makes_every_sentence_of_it_a_caption():
    line = (
        "Ukrainian servicemen fire a howitzer near Pokrovsk. Photograph: Roman Pilipey/AFP via Getty Images"
    )
    assert reject_reason("Ukrainian servicemen fire a howitzer near Pokrovsk.", paragraph=line) == "caption"


def test_a_line_in_a_link_list_is_a_headline_even_with_a_full_stop():
    line = "Zelensky sacks army chief in major shake-up."
    assert reject_reason(line, paragraph=line) is None
    assert reject_reason(line, paragraph=line, in_link_list=True) == "headline"


def test_an_attributed_opinion_is_kept_unless_told_otherwise():
    line = "The plan is a disgrace, the union said."
    assert reject_reason(line, paragraph=line) is None
    assert reject_reason(line, paragraph=line, attributed=False) == "opinion"


def test_link_list_headings():
    assert is_link_list_heading("You may also like")
    assert is_link_list_heading("Related stories:")
    assert not is_link_list_heading("Related costs rose to £2.3bn last year.")


@pytest.mark.parametrize(
    "line",
    [
        "It ended.",
        'He said "no."',
        "Really?!",
        "Wait…",
        "(It rained.)",
        "",
        ".",
        "No full stop",
        "End.\n",
        "a.\n\n",
    ],
)
def test_sentence_end_read_from_the_end_of_the_line_agrees_with_the_pattern(line):
    from articles.extraction.filters import _TERMINAL, _ends_sentence

    assert _ends_sentence(line) == bool(_TERMINAL.search(line))


@pytest.mark.parametrize(
    "sentence",
    [
        "I think the plan will fail.",
        "The decision was shameful.",
        "Clearly the figures rose by 5%.",
        "Officials confirmed the figures on Monday.",
        "Under the law, firms should report by March.",
    ],
)
def test_the_opinion_prefilter_matches_when_either_opinion_pattern_does(sentence):
    from articles.extraction.filters import _ANY_OPINION, _OPINION_FIRST_PERSON, _OPINION_WORDS

    either = _OPINION_FIRST_PERSON.found_in(sentence) or _OPINION_WORDS.found_in(sentence)
    assert _ANY_OPINION.found_in(sentence) == either


@pytest.mark.parametrize(
    "line",
    [
        "Published 8 July 2025, 14:05 BST",
        "MONDAY, JAN. 5 (REUTERS) -",
        "Kyiv, 8 July 2025",
        "Updated 3 hours ago",
        "5 mins ago | AFP",
        "Tues 4pm GMT",
        "On Sunday at 9 a.m. ET",
        "Zürich, 8 July",  # not ASCII: the IGNORECASE pattern itself
        "",
        "No stamp here at all",
        "Dec. 2023 vs. Sept 2024: 1,200 (est.)",
    ],
)
def test_stamp_tokens_found_in_the_lowercased_line_are_the_ones_the_caseless_pattern_finds(line):
    from articles.extraction.filters import _STAMP_TOKEN, _without_stamp_tokens

    assert _without_stamp_tokens(line) == _STAMP_TOKEN.sub(" ", line)


# The caption pattern as it was written before its credit words were opened with lookbehinds.
_CONSUMING_CAPTION = (
    r"(?:^|\s|\()(?:photograph|photo|photos|image|picture|illustration|credit|photo credit|image source|"
    r"image caption|media caption|caption|pictured|file photo|source)\s*[:,]|"
    r"\((?:photo|image|picture)s?\s+(?:by|credit|courtesy)\b|"
    r"(?:^|\s)(?:photo|image|picture) (?:by|courtesy of)\b|"
)


@pytest.mark.parametrize(
    "line",
    [
        "Photo: Reuters",
        "A man walks past. (Photo by Jane Doe)",
        "A view of the city. Image caption, The mayor",
        "Source: ONS",
        "The source: a leak",
        "Resource: none",
        "xphoto: no",
        "(Picture: AFP)",
        "photo by",
        "Picture courtesy of the family",
        "The £5m photo credit: BBC",
        "Nothing to see here.",
        "photographs, credits",
    ],
)
def test_the_caption_pattern_finds_a_credit_where_its_consuming_form_does(line):
    import re

    from articles.extraction.filters import _CAPTION

    rest = _CAPTION.pattern.split(r" (?:by|courtesy of)\b|", 1)
    assert len(rest) == 2  # the part after the rewritten branches is the same in both
    consuming = re.compile(_CONSUMING_CAPTION + rest[1], re.IGNORECASE)
    assert _CAPTION.found_in(line) == (consuming.search(line) is not None)
