"""The acceptance sample: every labelled claim found, attributed and typed; no tail line accepted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from articles.extraction.rules import analyse

FIXTURES = Path(__file__).resolve().parents[3] / "articles" / "fixtures"
TEXT = (FIXTURES / "russia-foreign-recruits.txt").read_text()
LABELS = json.loads((FIXTURES / "russia-foreign-recruits.claims.json").read_text())


@pytest.fixture(scope="module")
def accepted():
    return [a for a in analyse(TEXT) if a.is_claim]


def _claim_for(accepted, anchor):
    found = [a for a in accepted if anchor in a.span.text]
    assert found, f"no accepted sentence contains {anchor!r}"
    return found[0]


@pytest.mark.parametrize("label", LABELS["claims"], ids=lambda c: c["anchor"])
def test_each_labelled_claim_is_found_with_its_attribution_via_and_type(accepted, label):
    claim = _claim_for(accepted, label["anchor"])
    attribution = claim.attribution
    assert (attribution.source if attribution else None) == label["attribution"]
    assert (attribution.via if attribution else None) == label.get("via")
    assert claim.type == label["type"]


@pytest.mark.parametrize("label", LABELS["claims"], ids=lambda c: c["anchor"])
def test_attribution_offsets_point_at_the_names_in_the_text(accepted, label):
    attribution = _claim_for(accepted, label["anchor"]).attribution
    if attribution is None:
        return
    assert TEXT[attribution.start : attribution.end] == attribution.source
    if attribution.via is not None:
        assert TEXT[attribution.via_start : attribution.via_end] == attribution.via


@pytest.mark.parametrize("tail", LABELS["not_claims_tail"])
def test_no_line_of_the_junk_tail_becomes_a_claim(accepted, tail):
    assert not [a for a in accepted if tail in a.span.text]


def test_nothing_after_the_article_body_is_accepted(accepted):
    body_end = TEXT.index("You may also like")
    assert all(a.span.end <= body_end for a in accepted)


def test_the_optional_claim_is_attributed_to_the_speaker_when_found(accepted):
    for anchor in LABELS["optional"]:
        found = [a for a in accepted if anchor in a.span.text]
        for claim in found:
            assert claim.attribution is not None
            assert claim.attribution.source == "Lin Jian"
