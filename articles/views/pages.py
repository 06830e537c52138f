from __future__ import annotations

import itertools

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from ..forms import QueueFilterForm, reviewer_queryset
from ..models import Article, Assignment, Claim, ImportJob
from ..permissions import Rule, access
from ..services.curation import EDITABLE, RESHAPEABLE, overlapping_ids
from ..services.queue import Period, mark_due, queue_articles, queue_assignments, queue_counts
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


def article_page_context(request: AuthedRequest, article: Article, *, show_candidates: bool) -> dict:
    """Everything the article page and its `curation` partial show, in a constant number of queries."""
    everything = list(article.claims.prefetch_related(_open_assignments()).order_by("start", "-end", "id"))
    shown = [c for c in everything if c.status != Claim.Status.DISCARDED]
    if not show_candidates:
        shown = [c for c in shown if c.status != Claim.Status.CANDIDATE]
    shown_ids = {c.pk for c in shown}
    for number, claim in enumerate(shown, start=1):
        claim.number = number  # the same numbers label the claims in the text
    overlaps = overlapping_ids(shown)
    for i, claim in enumerate(everything):
        claim.overlaps = overlaps.get(claim.pk, [])
        after = everything[i + 1] if i + 1 < len(everything) else None
        claim.merge_with = (
            after
            if after is not None
            and after.pk in shown_ids
            and claim.status in RESHAPEABLE
            and after.status in RESHAPEABLE
            else None
        )
    claims = [c for c in shown if c.status != Claim.Status.CANDIDATE]
    can_work = request.user.is_editor_role
    return {
        "article": article,
        "claims": claims,
        "marked": shown,
        "candidates": [c for c in everything if c.status == Claim.Status.CANDIDATE]
        if show_candidates
        else [],
        "candidate_count": sum(c.status == Claim.Status.CANDIDATE for c in everything),
        "discarded": [c for c in everything if c.status == Claim.Status.DISCARDED],
        "show_candidates": show_candidates,
        "can_work": can_work,
        "editable": EDITABLE,
        "reviewers": list(reviewer_queryset()) if can_work else [],
    }


@access(Rule.VIEW)
@require_GET
def article_detail(request: AuthedRequest, article_id: int) -> HttpResponse:
    article = get_object_or_404(Article.objects.select_related("created_by", "superseded_by"), pk=article_id)
    context = article_page_context(request, article, show_candidates=request.GET.get("candidates") == "1")
    return render(request, "articles/article_detail.html", context)


@access(Rule.VIEW)
@require_GET
def my_claims(request: AuthedRequest) -> HttpResponse:
    period = Period.around(timezone.now())
    form = QueueFilterForm(request.GET, articles=queue_articles(reviewer=request.user))
    filters = form.filters()
    assignments = queue_assignments(reviewer=request.user, period=period, **filters)
    page = Paginator(assignments, 50).get_page(request.GET.get("page"))
    mark_due(page, period=period)
    context = {"form": form, "page": page, "period": period, "filtered": any(filters.values())}
    # A history restore asks for the whole page (htmx keeps no history cache here).
    if request.htmx and not request.htmx.history_restore_request:
        response = render(request, "articles/my_claims.html#queue", context)
    else:
        context["counts"] = queue_counts(reviewer=request.user, period=period)
        response = render(request, "articles/my_claims.html", context)
    # One URL, two bodies: caches must not hand the fragment to a full page load.
    patch_vary_headers(response, ["HX-Request"])
    return response


@access(Rule.VIEW)
@require_GET
def claim_history(request: AuthedRequest, claim_id: int) -> HttpResponse:
    claim = get_object_or_404(Claim.objects.select_related("article"), pk=claim_id)
    claim_rows = list(claim.history.select_related("history_user").order_by("-history_date", "-history_id"))
    for row, older in itertools.zip_longest(claim_rows, claim_rows[1:]):
        row.previous_text = older.text if older is not None and older.text != row.text else None
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
