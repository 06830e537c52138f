"""The rule stages composed for one article: filter, type, attribution, highlights.

A pure function over the article text; the engine adds the check-worthiness score.
"""

from __future__ import annotations

from dataclasses import dataclass

from .attribution import Attribution, attribute
from .claim_types import classify
from .filters import is_link_list_heading, reject_reason
from .highlights import Highlight, highlights
from .segment import Span, paragraphs, sentences

__all__ = ["SentenceAnalysis", "analyse", "analyse_sentences", "link_list_flags"]

# A link list ends at the first line that reads like body text again.
_LINK_LIST_MAX_WORDS = 40


@dataclass(frozen=True)
class SentenceAnalysis:
    span: Span
    reject_reason: str | None
    type: str
    attribution: Attribution | None
    highlights: tuple[Highlight, ...]

    @property
    def is_claim(self) -> bool:
        return self.reject_reason is None


def link_list_flags(lines: list[str]) -> list[bool]:
    """For each line of a body, whether it sits in a list of links under a "You may also like" heading."""
    flags: list[bool] = []
    listing = False
    for raw in lines:
        line = raw.strip()
        if is_link_list_heading(line):
            flags.append(False)
            listing = True
            continue
        if listing and (len(line.split()) > _LINK_LIST_MAX_WORDS or line.count(". ") >= 2):
            listing = False
        flags.append(listing)
    return flags


def analyse(text: str) -> list[SentenceAnalysis]:
    """Every sentence of `text` with why it is rejected, or its type, attribution and highlights."""
    return analyse_sentences(text, sentences(text))


def analyse_sentences(text: str, spans: list[Span]) -> list[SentenceAnalysis]:
    """`analyse` over sentences already cut from `text` (offsets into it), in order."""
    attributions = attribute(spans, text=text)
    paras = paragraphs(text)
    in_list = link_list_flags([p.text for p in paras])

    results: list[SentenceAnalysis] = []
    p = 0
    for span, attribution in zip(spans, attributions, strict=True):
        while p + 1 < len(paras) and paras[p].end <= span.start:
            p += 1
        reason = reject_reason(
            span.text,
            paragraph=paras[p].text,
            in_link_list=in_list[p],
            attributed=attribution is not None,
        )
        if reason is not None:
            results.append(SentenceAnalysis(span, reason, "not a claim", None, ()))
            continue
        kind = classify(span.text, attributed=attribution is not None)
        results.append(
            SentenceAnalysis(span, None, kind, attribution, tuple(highlights(span, attribution=attribution)))
        )
    return results
