"""Claim types, with the sample article's labels deciding how 'quote' interacts with the rest."""

from __future__ import annotations

import pytest

from articles.extraction.claim_types import TYPES, classify


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Unemployment rose by 45,000 in the three months to April, the ONS said.", "quantity"),
        ("Order books fell to their lowest level since 2020.", "quantity"),
        (
            "The blackout was caused by a fire at a substation, the grid operator said.",
            "correlation/causation",
        ),
        ("Under martial law, men aged 18 to 60 are barred from leaving Ukraine.", "rules/laws"),
        ("The Bank of England is expected to cut interest rates in August.", "prediction"),
        ('"I spent 11 days in a basement with my two children," said Iryna.', "personal experience"),
        ('Kremlin spokesman Dmitry Peskov said the talks had been "constructive".', "quote"),
        ("The talks took place in Istanbul behind closed doors.", "other"),
        ("Will the sanctions work?", "not a claim"),
    ],
)
def test_types(sentence, expected):
    assert classify(sentence) == expected


def test_content_wins_over_reporting():
    # "Zelensky claimed that 155 ..." is labelled quantity in the sample, not quote.
    assert (
        classify("Volodymyr Zelensky claimed that 155 Chinese soldiers were fighting for Russia.")
        == "quantity"
    )
    assert classify("CNN reported that Kim will likely send 25,000 soldiers to Russia.") == "prediction"


def test_a_sentence_that_is_mostly_quotation_is_a_quote_despite_a_legal_word():
    sentence = 'It was legislated "in order to take urgent additional measures to restaff the Armed Forces," a note read.'
    assert classify(sentence) == "quote"


def test_a_pledge_is_not_a_prediction():
    assert classify('"We will not give up a single metre of our land," Zelensky said.') == "quote"


def test_attributed_flag_turns_plain_speech_into_a_quote():
    sentence = "We have asked our partners to close the gap."
    assert classify(sentence, attributed=False) == "other"
    assert classify(sentence, attributed=True) == "quote"


def test_every_result_is_a_known_type():
    assert {classify(s) for s in ("Prices rose 5%.", "It rained in Kyiv on Monday.")} <= set(TYPES)
