"""Attribution: the asserting source with its span, pronouns, multi-sentence quotes and relays."""

from __future__ import annotations

from articles.extraction.attribution import attribute, find_source
from articles.extraction.segment import Span


def _spans(*sentences: str, breaks: tuple[int, ...] = ()) -> tuple[str, list[Span]]:
    """Sentences joined into one text (a line break before each index in `breaks`), with offsets."""
    text, spans = "", []
    for i, sentence in enumerate(sentences):
        if i:
            text += "\n" if i in breaks else " "
        spans.append(Span(len(text), len(text) + len(sentence), sentence))
        text += sentence
    return text, spans


def _sources(*sentences: str, breaks: tuple[int, ...] = ()):
    text, spans = _spans(*sentences, breaks=breaks)
    return [(a.source, a.via) if a else None for a in attribute(spans, text=text)]


def test_reporting_clause_before_and_after_the_claim():
    assert find_source("The ministry said the bridge had reopened.").source == "ministry"
    assert find_source("The bridge had reopened, the ministry said.").source == "ministry"
    # Titles go, as with "spokesman Lin Jian" -> "Lin Jian".
    assert find_source('"It is open," said Mr. Smith.').source == "Smith"


def test_titles_and_descriptors_give_way_to_the_name():
    assert find_source("Chinese government spokesman Lin Jian said it was wrong.").source == "Lin Jian"
    assert find_source("The Russian news service TASS reports that it is so.").source == "TASS"
    assert (
        find_source("The World Health Organization said 40 clinics closed.").source
        == "World Health Organization"
    )


def test_the_span_points_at_the_name():
    sentence = "Earlier this year, Volodymyr Zelensky claimed that 155 soldiers were fighting."
    local = find_source(sentence)
    assert sentence[local.start : local.end] == "Volodymyr Zelensky"


def test_according_to_names_the_source_or_the_relaying_outlet():
    assert find_source("At least 13,300 civilians have died, according to the UN.").source == "UN"
    local = find_source("Russia lost 3,000 tanks, the group Oryx said, according to the Financial Times.")
    assert (local.source, local.via) == ("Oryx", "Financial Times")


def test_a_relay_keeps_the_original_asserter_and_the_outlet_as_via():
    local = find_source(
        "CNN reported on July 2 that a Ukrainian intelligence assessment stated that troops will come."
    )
    assert (local.source, local.via) == ("Ukrainian intelligence assessment", "CNN")
    local = find_source("Citing two senior officials, Axios reported that the shipment was paused.")
    assert (local.source, local.via) == ("two senior officials", "Axios")


def test_an_explicit_name_beats_a_pronoun_in_the_same_sentence():
    assert find_source(
        "It added that there is a risk, the Institute for the Study of War (ISW) added."
    ).source == ("Institute for the Study of War")


def test_words_inside_quotes_never_report():
    sentence = 'Experts have assessed that officials are "concealing data, as Rosstat\'s reports said".'
    assert find_source(sentence).source == "Experts"
    assert find_source('Officials are "concealing data, as Rosstat\'s reports said".') is None
    assert find_source("The Kremlin is also already utilising troops from North Korea.") is None


def test_an_enacting_authority_is_the_source_of_its_rule():
    assert (
        find_source("Vladimir Putin has signed a new law allowing foreigners to enlist.").source
        == "Vladimir Putin"
    )


def test_a_pronoun_resolves_to_the_source_named_just_before():
    assert _sources(
        "Chinese government spokesman Lin Jian said at the time that they disagreed.",
        'He added: "China is neither the creator nor a party to the crisis."',
    ) == [("Lin Jian", None), ("Lin Jian", None)]


def test_he_falls_back_to_the_person_named_just_before_when_no_source_was():
    assert _sources(
        "Andriy Melnyk, a volunteer from Lviv, returned to his village in March.",
        '"My house was destroyed in the first week of the war," he said.',
    ) == [None, ("Andriy Melnyk", None)]


def test_the_attribution_at_the_end_of_a_quote_reaches_every_sentence_of_it():
    assert (
        _sources(
            '"The strikes hit a school and a hospital.',
            "Nobody here was a soldier.",
            'We will rebuild," the mayor of Kharkiv, Ihor Terekhov, said.',
        )
        == [("Ihor Terekhov", None)] * 3
    )


def test_the_attribution_at_the_start_of_a_quote_reaches_every_sentence_of_it():
    assert _sources(
        'Finance Minister Serhiy Marchenko said: "The budget gap is $19bn.',
        "We have asked our partners to close it.",
        'Without that money, salaries cannot be paid."',
        "The Kremlin did not comment.",
    ) == [("Serhiy Marchenko", None)] * 3 + [None]


def test_an_unclosed_quote_stops_at_the_paragraph_break():
    assert _sources(
        'The mayor said: "We are ready.',
        "Schools reopened on Monday.",
        breaks=(1,),
    ) == [("mayor", None), None]


def test_the_outlet_asserting_itself_gives_none():
    assert _sources("The Kremlin is also already utilising troops from North Korea.") == [None]
