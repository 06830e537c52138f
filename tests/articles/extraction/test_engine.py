"""The engine's entry point: stages composed, threshold, candidates, language."""

from __future__ import annotations

from articles.extraction import extract

SAMPLE_NEWS = (
    "The ministry said on Monday that 40 new schools opened in the region in 2025.\n"
    "Is this the best the government can do?\n"
    "Read more: Schools minister resigns\n"
    "Officials said the schools had cost £310 million."
)


def test_claims_carry_offsets_type_attribution_and_highlights():
    extraction = extract(SAMPLE_NEWS, threshold=0.5)
    first = extraction.claims[0]
    assert SAMPLE_NEWS[first.start : first.end] == first.text
    assert first.attribution == "ministry" or "ministry" in (first.attribution or "")
    assert first.type == "quantity"
    assert {"number", "date"} & {h["kind"] for h in first.highlights}


def test_questions_and_read_more_lines_are_candidates_with_a_reason():
    drafts = {d.text: d for d in extract(SAMPLE_NEWS, threshold=0.5).drafts}
    assert drafts["Is this the best the government can do?"].is_claim is False
    assert drafts["Is this the best the government can do?"].reject_reason == "question"
    assert drafts["Read more: Schools minister resigns"].is_claim is False


def test_a_threshold_of_1_keeps_only_attributed_quotes():
    extraction = extract(
        'The minister said: "We will build 100 homes."\nHomes cost more in 2024.', threshold=1.0
    )
    assert all(d.type == "quote" and d.attribution for d in extraction.claims)


def test_another_language_gets_a_notice_and_no_claims():
    french = (
        "Le gouvernement a annoncé lundi que quarante nouvelles écoles avaient ouvert dans la région en 2025, "
        "selon le ministère de l'Éducation nationale. Les syndicats d'enseignants ont cependant dénoncé un "
        "manque de personnel, avec un poste sur huit encore vacant à la rentrée, et demandent des moyens "
        "supplémentaires pour les établissements les plus fragiles du département."
    )
    extraction = extract(french, threshold=0.5)
    assert extraction.claims == []
    assert "English" in extraction.notice


def test_a_declared_language_is_trusted():
    assert extract(SAMPLE_NEWS, threshold=0.5, language="de").notice
    assert not extract(SAMPLE_NEWS, threshold=0.5, language="en-GB").notice
