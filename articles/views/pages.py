from __future__ import annotations

from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from ..forms import reviewer_queryset
from ..models import Article, Assignment, Claim, ImportJob
from ..permissions import Rule, access
from ..types import AuthedRequest


@access(Rule.VIEW)
@require_GET
def dashboard(request: AuthedRequest) -> HttpResponse:
    articles = Article.objects.annotate(
        claim_count=Count("claims", filter=~Q(claims__status__in=["candidate", "discarded"])),
        approved_count=Count("claims", filter=Q(claims__status="approved")),
    ).select_related("created_by")[:50]
    jobs = ImportJob.objects.select_related("created_by")[:10]
    return render(request, "articles/dashboard.html", {"articles": articles, "jobs": jobs})


def _open_assignments() -> Prefetch:
    return Prefetch(
        "assignments",
        queryset=Assignment.objects.filter(closed_at__isnull=True).select_related("reviewer"),
        to_attr="open_assignments",
    )


@access(Rule.VIEW)
@require_GET
def article_detail(request: AuthedRequest, article_id: int) -> HttpResponse:
    article = get_object_or_404(Article.objects.select_related("created_by", "superseded_by"), pk=article_id)
    claims = list(
        article.claims.exclude(status=Claim.Status.CANDIDATE)
        .exclude(status=Claim.Status.DISCARDED)
        .prefetch_related(_open_assignments())
        .order_by("position", "id")
    )
    candidate_count = article.claims.filter(status=Claim.Status.CANDIDATE).count()
    can_work = request.user.is_editor_role
    context = {
        "article": article,
        "claims": claims,
        "candidate_count": candidate_count,
        "can_work": can_work,
        "reviewers": list(reviewer_queryset()) if can_work else [],
    }
    return render(request, "articles/article_detail.html", context)


@access(Rule.VIEW)
@require_GET
def my_claims(request: AuthedRequest) -> HttpResponse:
    assignments = (
        Assignment.objects.filter(reviewer=request.user, closed_at__isnull=True)
        .select_related("claim__article", "assigned_by")
        .order_by("due_at", "opened_at")
    )
    return render(request, "articles/my_claims.html", {"assignments": assignments})


@access(Rule.VIEW)
@require_GET
def claim_history(request: AuthedRequest, claim_id: int) -> HttpResponse:
    claim = get_object_or_404(Claim.objects.select_related("article"), pk=claim_id)
    claim_rows = claim.history.select_related("history_user").order_by("-history_date")
    assignment_rows = (
        Assignment.history.filter(claim_id=claim.pk)
        .select_related("history_user", "reviewer")
        .order_by("-history_date")
    )
    from ..models import Review

    review_rows = (
        Review.history.filter(assignment__claim_id=claim.pk)
        .select_related("history_user", "verdict")
        .order_by("-history_date")
    )
    events = sorted(
        [("claim", row) for row in claim_rows]
        + [("assignment", row) for row in assignment_rows]
        + [("review", row) for row in review_rows],
        key=lambda pair: pair[1].history_date,
        reverse=True,
    )
    return render(request, "articles/claim_history.html", {"claim": claim, "events": events})
