"""Sentence segmentation: what a newsroom splitter must get right, and the gold-set floor."""

from __future__ import annotations

import pytest

from articles.extraction.segment import Span, sentences

from .segmentation_gold import BBC, BBC_ABSENT, bbc_docs, bbc_rows, misses, newsroom_docs, score

# Reported by tests/benchmarks/bench_segmentation.py; a change that lowers them fails here.
NEWSROOM_F1 = 1.0
BBC_F1 = 0.997


def texts(text: str) -> list[str]:
    return [span.text for span in sentences(text)]


def assert_offsets(text: str, spans: list[Span]) -> None:
    for span in spans:
        assert text[span.start : span.end] == span.text
        assert span.text == span.text.strip() and span.text
        assert "\n" not in span.text


# --- abbreviations that do not end a sentence ------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The U.S. Senate approved the bill by 69 votes to 30.",
        "Dr. Sarah Okafor said the figures needed care.",
        "A spokesman at No. 10 said the levy was working.",
        "Inflation has fallen to 3.5% this year.",
        "Profits reached £1.2bn in the first half.",
        "Leaders promised a vote before Jan. 5 at the latest.",
        "Talks began in Dec. 2023 with a White House meeting.",
        "That is new spending, i.e. money not already set aside.",
        "The case, Doe vs. Acme Corp., was brought in 2021.",
        "J. K. Rowling will publish a new novel next year.",
        "Xbox frontman J. Allard said the console would ship.",
        "Lawyers led by Mark A. Feldman said damages could be high.",
        "Rainfall reached 110mm, approx. a month's worth.",
        "There was a warning at 9 p.m. on the radio.",
        "Sen. Maria Lopez and Rep. Tom Reilly disagreed.",
        "The water came so fast... we had no time.",
        "Goldman Sachs Group Inc. cut its forecast.",
    ],
)
def test_a_trap_inside_a_sentence_does_not_split_it(text):
    assert texts(text) == [text]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "It now goes to the House before Jan. 5. Officials expect a vote.",
            ["It now goes to the House before Jan. 5.", "Officials expect a vote."],
        ),
        (
            "Prices have risen since Dec. 2023. Wages have not.",
            ["Prices have risen since Dec. 2023.", "Wages have not."],
        ),
        (
            "It sold well in the U.K. and the U.S. Previous titles sold 20 million copies.",
            ["It sold well in the U.K. and the U.S.", "Previous titles sold 20 million copies."],
        ),
        (
            "Warnings were issued by 11 p.m. Rainfall reached 110mm.",
            ["Warnings were issued by 11 p.m.", "Rainfall reached 110mm."],
        ),
        (
            "Each series was set in a different era, up to World War I. But there are no plans.",
            ["Each series was set in a different era, up to World War I.", "But there are no plans."],
        ),
        (
            "Then the power went out... After that, everything was dark.",
            ["Then the power went out...", "After that, everything was dark."],
        ),
        (
            "Was it avoidable? Officials say it is too early to tell.",
            ["Was it avoidable?", "Officials say it is too early to tell."],
        ),
        (
            "Side effects were rare. (Two patients left the trial early.) Most recovered.",
            ["Side effects were rare.", "(Two patients left the trial early.)", "Most recovered."],
        ),
    ],
)
def test_a_sentence_that_ends_in_a_trap_still_ends(text, expected):
    assert texts(text) == expected


# --- quotations -------------------------------------------------------------


def test_a_quote_of_several_sentences_gives_one_span_per_sentence_and_keeps_she_said():
    text = '"Prices rose 3.5% last year. Wages did not keep up. That is the whole story," she said.'
    assert texts(text) == [
        '"Prices rose 3.5% last year.',
        "Wages did not keep up.",
        'That is the whole story," she said.',
    ]


@pytest.mark.parametrize(
    "text",
    [
        '"Where does the money come from?" asked Rep. Tom Reilly of Ohio.',
        '"It tells every app maker that consent means consent!" Mr. Feldman said outside court.',
        '"It\'s the longest one yet!" the author wrote.',
    ],
)
def test_an_attribution_after_a_question_or_exclamation_stays_with_the_quote(text):
    assert texts(text) == [text]


def test_a_quote_that_closes_a_sentence_is_followed_by_a_new_one():
    text = 'She knew him as Uncle Ossie. "Ditto." "Ossie was my hero," said Alan Alda.'
    assert texts(text) == ["She knew him as Uncle Ossie.", '"Ditto."', '"Ossie was my hero," said Alan Alda.']


def test_a_quote_introduced_by_a_colon_is_split_at_its_sentences():
    text = 'He added: "The chancellor has been clear. We will not change the tax regime."'
    assert texts(text) == ['He added: "The chancellor has been clear.', 'We will not change the tax regime."']


# --- lines: headlines, bylines, lists ----------------------------------------


def test_a_headline_without_a_full_stop_is_a_sentence_of_its_own():
    text = "Senate passes $1.2tn infrastructure bill\n\nThe U.S. Senate approved the bill on Tuesday."
    assert texts(text) == [
        "Senate passes $1.2tn infrastructure bill",
        "The U.S. Senate approved the bill on Tuesday.",
    ]


def test_each_bullet_item_is_a_sentence_and_list_numbers_do_not_split():
    text = (
        "The main changes are:\n"
        "• Council tax rises by 4.99%\n"
        "- Bin collections move to every two weeks\n"
        " - Parking charges go up by 20p an hour \n"
        "1. Adult social care gets an extra £12.5m.\n"
        "2. Children's services get £4m."
    )
    assert texts(text) == [
        "The main changes are:",
        "• Council tax rises by 4.99%",
        "- Bin collections move to every two weeks",
        "- Parking charges go up by 20p an hour",
        "1. Adult social care gets an extra £12.5m.",
        "2. Children's services get £4m.",
    ]


def test_a_sentence_never_crosses_a_line_break():
    text = "The vote was close\nand the result was\r\nannounced at noon."
    spans = sentences(text)
    assert [s.text for s in spans] == ["The vote was close", "and the result was", "announced at noon."]
    assert_offsets(text, spans)


def test_blank_and_empty_texts_have_no_sentences():
    assert sentences("") == []
    assert sentences("  \n\n \t\n") == []


# --- offsets -------------------------------------------------------------------


def test_offsets_always_point_at_the_sentence_in_the_original_text():
    text = "  Dr. Okafor said: \u201cMargins are 3.5%.\u201d\u00a0 Labour disagreed!\n\n\u2022 Item one.  Item two\t\n"
    spans = sentences(text)
    assert [s.text for s in spans] == [
        "Dr. Okafor said: \u201cMargins are 3.5%.\u201d",
        "Labour disagreed!",
        "\u2022 Item one.",
        "Item two",
    ]
    assert_offsets(text, spans)


def test_offsets_match_on_every_gold_text():
    for doc in newsroom_docs():
        assert_offsets(doc.text, sentences(doc.text))


@pytest.mark.skipif(not BBC.exists(), reason=BBC_ABSENT)
def test_offsets_match_on_the_whole_bbc_corpus():
    for row in bbc_rows():
        assert_offsets(row["text"], sentences(row["text"]))


# --- the gold set --------------------------------------------------------------


def _split(text: str) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in sentences(text)]


def test_gold_spans_are_well_formed():
    for doc in newsroom_docs():
        assert_offsets(doc.text, [Span(a, b, doc.text[a:b]) for a, b in doc.sentences])


def test_boundary_f1_on_the_newsroom_gold_set_holds():
    docs = newsroom_docs()
    result = score(docs, _split)
    wrong = [line for doc in docs for line in misses(doc, _split(doc.text))]
    assert result.f1 >= NEWSROOM_F1, "\n".join(wrong)


@pytest.mark.skipif(not BBC.exists(), reason=BBC_ABSENT)
def test_boundary_f1_on_the_bbc_gold_set_holds():
    docs = bbc_docs()  # raises if an annotated article's text changed (sha256)
    result = score(docs, _split)
    wrong = [line for doc in docs for line in misses(doc, _split(doc.text))]
    assert result.f1 >= BBC_F1, "\n".join(wrong)
