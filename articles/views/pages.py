from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from ..forms import PublishForm, QueueFilterForm, reviewer_queryset
from ..models import (
    Article,
    Assignment,
    Claim,
    ImportJob,
    NewsroomSettings,
    PublicationVersion,
    Review,
    Source,
)
from ..pagination import IdsFirst
from ..permissions import Rule, access
from ..services.curation import EDITABLE, RESHAPEABLE, overlapping_ids
from ..services.queue import Period, mark_due, queue_articles, queue_assignments, queue_counts
from ..services.reviews import WRITABLE
from ..types import AuthedRequest


@access(Rule.VIEW)
@require_GET
def dashboard(request: AuthedRequest) -> HttpResponse:
    progress = request.GET.get("progress", "")
    # Claim counts and progress are stored on the article: no claim is read here.
    articles = Article.objects.select_related("created_by").defer("body", "sanitized_html")
    if progress in Article.Progress.values:
        articles = articles.filter(progress=progress)  # the (progress, -created_at) index
    else:
        progress = ""
    jobs = ImportJob.objects.select_related("created_by")[:10]
    context = {
        "page": Paginator(IdsFirst(articles), 50).get_page(request.GET.get("page")),
        "progress": progress,
        "progress_choices": Article.Progress.choices,
        "jobs": jobs,
    }
    return render(request, "articles/dashboard.html", context)


def _open_assignments() -> Prefetch:
    return Prefetch(
        "assignments",
        queryset=Assignment.objects.filter(closed_at__isnull=True).select_related("reviewer"),
        to_attr="open_assignments",
    )


def article_page_context(request: AuthedRequest, article: Article, *, show_candidates: bool) -> dict:
    """Everything the article page and its `curation` partial show, in a constant number of queries."""
    everything = list(
        article.claims.annotate(comment_count=Count("comments"))
        .prefetch_related(_open_assignments())
        .order_by("start", "-end", "id")
    )
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
    can_take = (
        not can_work and request.user.can_self_assign and NewsroomSettings.load().self_assignment_allowed
    )
    reviewers = list(reviewer_queryset()) if can_work else []
    today = timezone.localdate()
    for reviewer in reviewers:
        reviewer.available_today = reviewer.available_on(today)
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
        "reviewers": reviewers,
        "can_take": can_take,
    }


@access(Rule.VIEW)
@require_GET
def article_detail(request: AuthedRequest, article_id: int) -> HttpResponse:
    article = get_object_or_404(Article.objects.select_related("created_by", "superseded_by"), pk=article_id)
    context = article_page_context(request, article, show_candidates=request.GET.get("candidates") == "1")
    context["versions"] = list(
        PublicationVersion.objects.filter(publication__article=article)
        .select_related("publication", "published_by")
        .order_by("-number")
    )
    context["publish_form"] = PublishForm()
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


# Fields shown in the history, per kind of record, in the order they read best.
HISTORY_FIELDS = {
    "claim": ["text", "status", "status_reason", "claim_type", "attribution", "start", "end", "origin"],
    "assignment": ["reviewer_id", "due_at", "closed_at", "close_reason"],
    "review": ["verdict_id", "confidence", "summary", "state", "version"],
    "source": ["url", "title", "publisher", "stance", "kind", "excerpt", "accessed_on"],
}


@dataclass
class HistoryEvent:
    kind: str
    row: object
    changes: list[tuple[str, object, object]] = field(default_factory=list)
    can_restore: bool = False


def _display(kind: str, name: str, row) -> object:
    if name == "reviewer_id":
        return row.reviewer if row.reviewer_id else None
    if name == "verdict_id":
        return row.verdict if row.verdict_id else None
    value = getattr(row, name)
    display = getattr(row, f"get_{name}_display", None)
    return display() if display and value else value


def _history_events(claim: Claim) -> list[HistoryEvent]:
    """Every recorded change to the claim, its assignments, reviews and sources, with field diffs."""
    rows = {
        "claim": claim.history.select_related("history_user"),
        "assignment": Assignment.history.filter(claim_id=claim.pk).select_related("history_user", "reviewer"),
        "review": Review.history.filter(assignment__claim_id=claim.pk).select_related(
            "history_user", "verdict"
        ),
        "source": Source.history.filter(review__assignment__claim_id=claim.pk).select_related("history_user"),
    }
    events = []
    for kind, queryset in rows.items():
        previous: dict[int, object] = {}
        for row in queryset.order_by("history_date", "history_id"):
            before = previous.get(row.id)
            fields = HISTORY_FIELDS[kind]
            if row.history_type == "-":
                changes = []
            elif before is None:
                changes = [(name.removesuffix("_id"), None, _display(kind, name, row)) for name in fields]
                changes = [c for c in changes if c[2] not in (None, "")]
            else:
                changes = [
                    (name.removesuffix("_id"), _display(kind, name, before), _display(kind, name, row))
                    for name in fields
                    if getattr(before, name) != getattr(row, name)
                ]
            previous[row.id] = row
            events.append(HistoryEvent(kind, row, changes))
    events.sort(key=lambda e: (e.row.history_date, e.row.history_id), reverse=True)
    return events


@access(Rule.VIEW)
@require_GET
def claim_history(request: AuthedRequest, claim_id: int) -> HttpResponse:
    claim = get_object_or_404(Claim.objects.select_related("article"), pk=claim_id)
    events = _history_events(claim)
    open_assignment = claim.open_assignment()
    may_restore_text = request.user.is_editor_role and claim.status in EDITABLE
    own_review = (
        open_assignment is not None
        and open_assignment.reviewer_id == request.user.pk
        and claim.status in WRITABLE
    )
    for event in events:
        if event.row.history_type == "-":
            continue
        if event.kind == "claim" and may_restore_text:
            event.can_restore = event.row.text != claim.text
        elif event.kind == "review" and own_review:
            event.can_restore = event.row.assignment_id == open_assignment.pk and event.row.state == "draft"
    return render(request, "articles/claim_history.html", {"claim": claim, "events": events})
