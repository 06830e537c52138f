"""Highlights: numbers, dates, quantities, money and named sources as spans into the article."""

from __future__ import annotations

from articles.extraction.highlights import highlights
from articles.extraction.segment import Span


def _kinds(sentence: str, offset: int = 0):
    span = Span(offset, offset + len(sentence), sentence)
    return [(h.kind, h.text) for h in highlights(span)]


def test_numbers_with_their_qualifiers_and_ranges():
    assert ("number", "more than 100,000") in _kinds(
        "The BBC reported in May that more than 100,000 have been killed."
    )
    assert ("number", "between 60,000 and 100,000") in _kinds(
        "It said between 60,000 and 100,000 soldiers died."
    )
    assert ("number", "25,000 to 30,000") in _kinds("Kim will send an additional 25,000 to 30,000 soldiers.")


def test_dates_win_over_the_numbers_inside_them():
    kinds = _kinds("Russia has suffered 1,028,610 casualties since February 2022, officials said on July 8.")
    assert ("date", "February 2022") in kinds
    assert ("date", "July 8") in kinds
    assert ("number", "1,028,610") in kinds
    assert ("number", "8") not in kinds


def test_may_is_a_month_only_where_a_date_is_expected():
    assert ("date", "May") in _kinds("Prices rose in May, the agency said.")
    assert all(kind != "date" for kind, _ in _kinds("Prices may rise, the agency said."))


def test_money_and_quantities():
    kinds = _kinds(
        "Inflation hit 12% and the bridge cost £1.2 billion, or 300 million roubles, over two years."
    )
    assert ("quantity", "12%") in kinds
    assert ("money", "£1.2 billion") in kinds
    assert ("money", "300 million roubles") in kinds
    assert ("quantity", "over two years") in kinds


def test_sources_are_highlighted_with_offsets_into_the_article():
    sentence = "CNN reported that a Ukrainian intelligence assessment stated that 25,000 troops will come."
    span = Span(100, 100 + len(sentence), sentence)
    found = {h.text: h for h in highlights(span) if h.kind == "source"}
    assert set(found) == {"CNN", "Ukrainian intelligence assessment"}
    h = found["CNN"]
    assert (h.start, h.end) == (100, 103)


def test_highlights_never_overlap_and_come_in_order():
    span_text = "On 8 July 2025, Germany pledged €9bn for 2025, Defence Minister Boris Pistorius said."
    found = highlights(Span(0, len(span_text), span_text))
    assert [h.start for h in found] == sorted(h.start for h in found)
    assert all(a.end <= b.start for a, b in zip(found, found[1:], strict=False))
    assert all(span_text[h.start : h.end] == h.text for h in found)


def test_dates_and_figures_written_in_words_pass_the_cheap_hints():
    # No digit in these sentences: only the hint words let the date and figure patterns run.
    assert ("date", "Last week") in _kinds("Last week the council closed the library.")
    assert ("date", "in the coming weeks") in _kinds("Talks will resume in the coming weeks, he said.")
    assert ("date", "Tonight") in _kinds("Tonight the vote goes ahead.")
    assert ("date", "on Monday") in _kinds("The strike starts on Monday.")
    assert ("number", "twenty-five") in _kinds("She said twenty-five people were hurt.")
    assert _kinds("Attention often turns to content.") == []


def _figure_texts() -> list[str]:
    import random

    from articles.extraction.segment import sentences

    from .segmentation_gold import BBC, bbc_rows, newsroom_docs

    texts = [s.text for doc in newsroom_docs() for s in sentences(doc.text)]
    if BBC.exists():
        texts += [s.text for row in bbc_rows() for s in sentences(row["text"])]
    rng = random.Random(5)
    words = ["between", "and", "to", "-", "–", "more than", "about", "some", "up to", "5", "12,000", "3.5",
             "two", "twenty-one", "a dozen", "hundreds", "million", "bn", "m", "%", "per cent", "km", "years",
             "the", "rose", ",", "."]  # fmt: skip
    texts += [" ".join(rng.choices(words, k=rng.randint(1, 14))) for _ in range(3000)]
    return [t.lower() for t in texts]


def test_single_figures_are_the_number_matches_when_none_of_them_is_a_range():
    import re

    from articles.extraction.highlights import _FIGURE, _NUMBER, _OPENS_FIGURE, _SINGLE, _WORD_START

    plain = re.compile(rf"{_WORD_START}{_OPENS_FIGURE}(?:{_FIGURE})")  # _NUMBER without its group
    ranged = 0
    for text in _figure_texts():
        numbers = _NUMBER.finditer(text)
        spans = [m.span() for m in numbers]
        assert spans == [m.span() for m in plain.finditer(text)], text
        if any(m.group("range") is not None for m in numbers):
            ranged += 1
        else:
            assert [m.span() for m in _SINGLE.finditer(text)] == spans, text
    assert ranged  # the texts hold ranges too, where _SINGLE is run
