"""Claim extraction: article text in, checkable claims with offsets out.

One entry point, `extract()`, used by the import service, by re-extraction and
by `manage.py extract_claims`. Stages, each replaceable and tested on its own:

1. segment.sentences: sentences with character offsets into the text;
2. rules.analyse_sentences: the filter (bylines, navigation, questions,
   opinion...), the claim type, the attribution (with `via`) and highlights;
3. checkworthiness.score_sentences: a 0..1 score from a model trained on
   CT24 (`python -m articles.extraction.train_checkworthiness`).

A sentence is a claim when it passes the filter and either scores at or above
the newsroom threshold or is a quote attributed to a named source ("X said Y"
is checkable whatever the model thinks of Y: the model was trained on debate
sentences, where reported speech is rare). Everything else is returned as a
candidate (is_claim False) that an editor can promote.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from .language import is_english
from .rules import analyse_sentences
from .segment import sentences

__all__ = ["ClaimDraft", "Extraction", "extract", "make_draft"]


@dataclass(frozen=True)
class ClaimDraft:
    text: str
    start: int
    end: int
    score: float | None
    is_claim: bool
    type: str
    attribution: str | None = None
    attribution_start: int | None = None
    attribution_end: int | None = None
    via: str | None = None
    via_start: int | None = None
    via_end: int | None = None
    highlights: list[dict] = field(default_factory=list)
    reject_reason: str = ""

    def as_json(self) -> dict:
        data = asdict(self)
        return {
            "text": data["text"],
            "start": data["start"],
            "end": data["end"],
            "score": None if self.score is None else round(self.score, 4),
            "type": self.type,
            "attribution": self.attribution,
            "via": self.via,
            "highlights": self.highlights,
        }


@dataclass(frozen=True)
class Extraction:
    drafts: list[ClaimDraft]
    english: bool = True
    notice: str = ""

    @property
    def claims(self) -> list[ClaimDraft]:
        return [d for d in self.drafts if d.is_claim]


def make_draft(
    span,
    *,
    score: float | None,
    is_claim: bool,
    type: str,
    attribution,
    highlights,
    reject_reason: str = "",
) -> ClaimDraft:
    """A draft for one span from the stages' results (an Attribution or None, Highlights)."""
    marks = [{"kind": h.kind, "start": h.start, "end": h.end, "text": h.text} for h in highlights]
    if attribution is None:
        return ClaimDraft(
            span.text,
            span.start,
            span.end,
            score,
            is_claim,
            type,
            highlights=marks,
            reject_reason=reject_reason,
        )
    return ClaimDraft(
        text=span.text,
        start=span.start,
        end=span.end,
        score=score,
        is_claim=is_claim,
        type=type,
        attribution=attribution.source,
        attribution_start=attribution.start,
        attribution_end=attribution.end,
        via=attribution.via,
        via_start=attribution.via_start,
        via_end=attribution.via_end,
        highlights=marks,
        reject_reason=reject_reason,
    )


def _passes(score: float | None, threshold: float, analysis) -> bool:
    if score is not None and score >= threshold:
        return True
    return analysis.type == "quote" and analysis.attribution is not None


NOT_ENGLISH_NOTICE = (
    "This article does not look like English, so no claims were extracted: the extraction engine supports "
    "English only. Editors can still add claims by hand."
)


def extract(text: str, *, threshold: float, language: str = "") -> Extraction:
    """All sentences of `text` as drafts; claims are those that pass the filter and the threshold."""
    if not is_english(text, declared=language):
        return Extraction(drafts=[], english=False, notice=NOT_ENGLISH_NOTICE)
    from .checkworthiness import score_sentences

    analyses = analyse_sentences(text, sentences(text))
    accepted = [a for a in analyses if a.is_claim]
    scores = dict(
        zip((id(a) for a in accepted), score_sentences([a.span.text for a in accepted]), strict=True)
    )
    drafts = []
    for a in analyses:
        score = scores.get(id(a))
        passes = _passes(score, threshold, a)
        drafts.append(
            make_draft(
                a.span,
                score=score,
                is_claim=a.is_claim and passes,
                type=a.type,
                attribution=a.attribution,
                highlights=a.highlights,
                reject_reason=a.reject_reason or ("" if passes else "below threshold"),
            )
        )
    return Extraction(drafts=drafts)
