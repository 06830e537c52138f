"""Claim extraction: article text in, checkable claims with offsets out.

The skeleton stage of the foundation issue: real sentence segmentation and a
small rule filter. The extraction issue replaces the filter and adds scores,
types, attribution and highlights behind this same entry point.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .segment import Span, sentences

__all__ = ["ClaimDraft", "extract"]


@dataclass(frozen=True)
class ClaimDraft:
    text: str
    start: int
    end: int
    score: float
    is_claim: bool


_TERMINAL = re.compile(r"[.!][\"'”’)\]]*$")
MIN_WORDS = 6


def _looks_checkable(span: Span) -> bool:
    words = span.text.split()
    if len(words) < MIN_WORDS:
        return False  # bylines, "Read more", "You may also like"
    if span.text.rstrip().endswith("?"):
        return False  # questions are not claims
    # Headlines and link lists carry no sentence-final punctuation.
    return bool(_TERMINAL.search(span.text.rstrip()))


def extract(text: str) -> list[ClaimDraft]:
    drafts = []
    for span in sentences(text):
        ok = _looks_checkable(span)
        drafts.append(ClaimDraft(span.text, span.start, span.end, 1.0 if ok else 0.0, ok))
    return drafts
