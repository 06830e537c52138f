"""Gather an article's verified fact sheet in a constant number of queries.

`build_factsheet` reads the database; the result is plain data (dataclasses of
strings, numbers and ISO dates) that every exporter renders and that a
published version stores as its frozen snapshot (`to_json` / `from_json`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime
from typing import Any

from django.db.models import Max, Min, Prefetch
from django.utils import timezone

from ..models import Article, Assignment, Claim, NewsroomSettings, Verdict

SCHEMA_VERSION = 1
# Claims a fact sheet lists: checked ones. Candidates and discarded claims never appear.
DONE = (Claim.Status.APPROVED, Claim.Status.NOT_CHECKABLE)


@dataclass(frozen=True)
class SheetSource:
    url: str
    title: str = ""
    publisher: str = ""
    excerpt: str = ""
    accessed_on: date | None = None
    stance: str = "context"  # supports | refutes | context
    stance_label: str = "Gives context"
    kind: str = "other"  # official_statistic | document | expert | news_report | other
    kind_label: str = "Other"


@dataclass(frozen=True)
class SheetVerdict:
    name: str
    rating_value: int | None
    colour: str
    description: str


@dataclass(frozen=True)
class SheetClaim:
    id: int
    position: int
    text: str
    status: str  # approved | not_checkable
    claim_type: str = ""
    attribution: str = ""
    via: str = ""
    verdict: SheetVerdict | None = None
    confidence: int | None = None
    summary: str = ""
    reviewer: str | None = None  # removed by `FactSheet.for_public` where the newsroom hides names
    approved_at: datetime | None = None
    not_checkable_reason: str = ""
    sources: list[SheetSource] = field(default_factory=list)


@dataclass(frozen=True)
class FactSheet:
    newsroom: str
    newsroom_url: str
    article_id: int
    title: str
    source_url: str
    byline: str
    site_name: str
    article_published_at: datetime | None
    generated_at: datetime
    best_rating: int | None  # the verdict scale's ends, for ClaimReview
    worst_rating: int | None
    claims: list[SheetClaim]
    open_claims: int = 0  # claims still in the workflow: a sheet with any is partial
    # Set on published versions only.
    version: int | None = None
    published_at: datetime | None = None
    public_url: str = ""
    partial: bool = False
    correction_note: str = ""
    schema_version: int = SCHEMA_VERSION

    @property
    def complete(self) -> bool:
        return self.open_claims == 0

    def for_public(self, *, show_reviewer_names: bool) -> FactSheet:
        """The sheet as the public sees it: reviewer names only where the newsroom allows."""
        if show_reviewer_names:
            return self
        return replace(self, claims=[replace(c, reviewer=None) for c in self.claims])

    def to_json(self) -> dict[str, Any]:
        return _jsonable(asdict(self))

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FactSheet:
        claims = []
        for c in data["claims"]:
            verdict = SheetVerdict(**c["verdict"]) if c.get("verdict") else None
            sources = [
                SheetSource(**{**s, "accessed_on": _date(s.get("accessed_on"))}) for s in c.get("sources", [])
            ]
            claims.append(
                SheetClaim(
                    **{
                        **c,
                        "verdict": verdict,
                        "sources": sources,
                        "approved_at": _datetime(c.get("approved_at")),
                    }
                )
            )
        return cls(
            **{
                **data,
                "claims": claims,
                "article_published_at": _datetime(data.get("article_published_at")),
                "generated_at": _datetime(data["generated_at"]),
                "published_at": _datetime(data.get("published_at")),
            }
        )


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _datetime(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def build_factsheet(*, article: Article) -> FactSheet:
    """The article's checked claims (approved or not checkable), in text order, with their reviews."""
    newsroom = NewsroomSettings.load()
    closed = (
        Assignment.objects.filter(close_reason__in=[Assignment.CloseReason.APPROVED])
        .select_related("reviewer", "review__verdict")
        .prefetch_related("review__sources")
        .order_by("-closed_at", "-id")
    )
    claims = article.claims.filter(status__in=DONE).prefetch_related(
        Prefetch("assignments", queryset=closed, to_attr="approved_assignments")
    )
    scale = Verdict.objects.filter(rating_value__isnull=False).aggregate(
        best=Max("rating_value"), worst=Min("rating_value")
    )
    items = []
    for position, claim in enumerate(claims, start=1):
        assignment = claim.approved_assignments[0] if claim.approved_assignments else None
        review = getattr(assignment, "review", None) if assignment else None
        approved = claim.status == Claim.Status.APPROVED and review is not None
        verdict = review.verdict if approved else None
        items.append(
            SheetClaim(
                id=claim.pk,
                position=position,
                text=claim.text,
                status=claim.status,
                claim_type=claim.claim_type,
                attribution=claim.attribution,
                via=claim.via,
                verdict=SheetVerdict(verdict.name, verdict.rating_value, verdict.colour, verdict.description)
                if verdict
                else None,
                confidence=review.confidence if approved else None,
                summary=review.summary if approved else "",
                reviewer=str(assignment.reviewer) if approved else None,
                approved_at=assignment.closed_at if approved else None,
                not_checkable_reason=claim.status_reason
                if claim.status == Claim.Status.NOT_CHECKABLE
                else "",
                sources=[
                    SheetSource(
                        url=s.url,
                        title=s.title,
                        publisher=s.publisher,
                        excerpt=s.excerpt,
                        accessed_on=s.accessed_on,
                        stance=s.stance,
                        stance_label=s.get_stance_display(),
                        kind=s.kind,
                        kind_label=s.get_kind_display(),
                    )
                    for s in review.sources.all()
                ]
                if approved
                else [],
            )
        )
    return FactSheet(
        newsroom=newsroom.name,
        newsroom_url=newsroom.base_url,
        article_id=article.pk,
        title=article.title,
        source_url=article.source_url,
        byline=article.byline,
        site_name=article.site_name,
        article_published_at=article.published_at,
        generated_at=timezone.now(),
        best_rating=scale["best"],
        worst_rating=scale["worst"],
        claims=items,
        open_claims=article.n_new + article.n_open + article.n_submitted,
    )
