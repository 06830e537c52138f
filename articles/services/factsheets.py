"""Gather an article's verified fact sheet in a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Prefetch
from django.utils import timezone

from ..models import Article, Assignment, Claim, NewsroomSettings


@dataclass(frozen=True)
class SheetSource:
    url: str
    title: str
    excerpt: str


@dataclass(frozen=True)
class SheetClaim:
    id: int
    position: int
    text: str
    status: str
    verdict: str | None
    rating_value: int | None
    confidence: int | None
    summary: str
    reviewer: str | None
    approved_at: datetime | None
    sources: list[SheetSource] = field(default_factory=list)


@dataclass(frozen=True)
class FactSheet:
    newsroom: str
    article_id: int
    title: str
    source_url: str
    generated_at: datetime
    claims: list[SheetClaim]


def build_factsheet(*, article: Article) -> FactSheet:
    """Approved claims with the review that approved them."""
    approved = (
        Assignment.objects.filter(close_reason=Assignment.CloseReason.APPROVED)
        .select_related("reviewer", "review__verdict")
        .prefetch_related("review__sources")
        .order_by("-closed_at")
    )
    claims = article.claims.filter(status=Claim.Status.APPROVED).prefetch_related(
        Prefetch("assignments", queryset=approved, to_attr="approved_assignments")
    )
    items = []
    for position, claim in enumerate(claims, start=1):
        assignment = claim.approved_assignments[0] if claim.approved_assignments else None
        review = getattr(assignment, "review", None) if assignment else None
        items.append(
            SheetClaim(
                id=claim.pk,
                position=position,
                text=claim.text,
                status=claim.status,
                verdict=review.verdict.name if review and review.verdict else None,
                rating_value=review.verdict.rating_value if review and review.verdict else None,
                confidence=review.confidence if review else None,
                summary=review.summary if review else "",
                reviewer=str(assignment.reviewer) if assignment else None,
                approved_at=assignment.closed_at if assignment else None,
                sources=[SheetSource(s.url, s.title, s.excerpt) for s in review.sources.all()]
                if review
                else [],
            )
        )
    return FactSheet(
        newsroom=NewsroomSettings.load().name,
        article_id=article.pk,
        title=article.title,
        source_url=article.source_url,
        generated_at=timezone.now(),
        claims=items,
    )
