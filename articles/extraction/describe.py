"""Describe one span an editor chose (added, split or merged claims) as the engine would.

The span is not re-cut into sentences and never filtered out: an editor decided it
is a claim. Attribution sees the sentences before it, so "He added" still resolves.
"""

from __future__ import annotations

from . import ClaimDraft, make_draft
from .attribution import attribute
from .checkworthiness import score_sentences
from .claim_types import classify
from .highlights import highlights
from .segment import Span, sentences

__all__ = ["describe_span"]


def describe_span(body: str, start: int, end: int) -> ClaimDraft:
    """Score, type, attribution and highlights of `body[start:end]`, offsets into `body`."""
    span = Span(start, end, body[start:end])
    context = [s for s in sentences(body[:start]) if s.end <= start]
    attribution = attribute([*context, span], text=body)[-1]
    score = score_sentences([span.text])[0]
    return make_draft(
        span,
        score=min(1.0, max(0.0, score)),
        is_claim=True,
        type=classify(span.text, attributed=attribution is not None),
        attribution=attribution,
        highlights=highlights(span, attribution=attribution),
    )
