"""The review: the assigned reviewer's form and sources; the claim page everyone reads; the editor's return."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..forms import CONFIDENCE_STEPS, ReviewForm, SourceForm
from ..models import Assignment, Claim, Review, TransitionError
from ..permissions import Rule, access, get_claim_for_review
from ..services.comments import MAX_COMMENT_CHARS
from ..services.curation import CurationError, edit_claim
from ..services.reviews import (
    WRITABLE,
    ReviewConflict,
    SourceInput,
    add_source,
    get_or_start_review,
    remove_source,
    reopen_claim,
    restore_draft,
    return_claim,
    save_review,
)
from ..types import AuthedRequest
from .curation import article_response


def _source_input(form: SourceForm) -> SourceInput:
    data = form.cleaned_data
    return SourceInput(
        url=data["url"],
        title=data.get("title", ""),
        publisher=data.get("publisher", ""),
        excerpt=data.get("excerpt", ""),
        accessed_on=data.get("accessed_on"),
        stance=data.get("stance") or "context",
        kind=data.get("kind") or "other",
    )


def _comments(claim: Claim) -> list:
    return list(claim.comments.select_related("author").order_by("created_at", "id"))


def _review_context(claim: Claim, review: Review, **extra) -> dict:
    return {
        "claim": claim,
        "writable": claim.status in WRITABLE,
        "review": review,
        "sources": list(review.sources.all()),
        "confidence_steps": CONFIDENCE_STEPS,
        "comments": _comments(claim),
        "max_chars": MAX_COMMENT_CHARS,
        **extra,
    }


def _with_version(data: QueryDict, version: int) -> QueryDict:
    """The user's own input, with the current version: saving again now overwrites knowingly."""
    data = data.copy()
    data["version"] = str(version)
    return data


@access(Rule.ASSIGNED_REVIEWER)
@require_http_methods(["GET", "POST"])
def review_edit(request: AuthedRequest, claim_id: int) -> HttpResponse:
    """The assigned reviewer's form. Without JavaScript, adding or removing a source saves the draft too."""
    claim = get_claim_for_review(request, claim_id)
    review = get_or_start_review(claim=claim)
    source_form = SourceForm(prefix="new")
    conflict = None
    if request.method == "GET":
        form = ReviewForm(
            initial={
                "verdict": review.verdict_id,
                "confidence": review.confidence,
                "summary": review.summary,
                "version": review.version,
            },
            current_verdict=review.verdict,
        )
        return render(
            request,
            "articles/review_form.html",
            _review_context(claim, review, form=form, source_form=source_form),
        )

    form = ReviewForm(request.POST, current_verdict=review.verdict)
    action = request.POST.get("action", "draft")
    if action == "add_source":
        source_form = SourceForm(request.POST, prefix="new")
    if form.is_valid() and (action != "add_source" or source_form.is_valid()):
        data = form.cleaned_data
        try:
            save_review(
                claim=claim,
                reviewer=request.user,
                verdict=data["verdict"],
                confidence=data["confidence"],
                summary=data["summary"],
                submit=action == "submit",
                version=data["version"],
            )
            if action == "add_source":
                add_source(claim=claim, reviewer=request.user, item=_source_input(source_form))
                messages.success(request, "Source added and draft saved.")
            elif action.startswith("remove:"):
                remove_source(claim=claim, reviewer=request.user, source_id=int(action.split(":", 1)[1]))
                messages.success(request, "Source removed and draft saved.")
            elif action == "submit":
                messages.success(request, "Review submitted for approval.")
                return redirect("articles:my_claims")
            else:
                messages.success(request, "Draft saved.")
            return redirect("articles:review_edit", claim_id=claim.pk)
        except ReviewConflict as exc:
            conflict = exc.current
            form = ReviewForm(_with_version(request.POST, conflict.version), current_verdict=review.verdict)
            form.is_valid()
            form.add_error(None, str(exc))
        except (TransitionError, ValidationError, ValueError) as exc:
            for message in getattr(exc, "messages", [str(exc)]):
                form.add_error(None, message)
        review.refresh_from_db()
    context = _review_context(claim, review, form=form, source_form=source_form, conflict=conflict)
    return render(request, "articles/review_form.html", context, status=409 if conflict else 200)


def _sources_partial(request: AuthedRequest, claim: Claim, source_form: SourceForm) -> HttpResponse:
    review = get_or_start_review(claim=claim)
    return render(
        request, "articles/review_form.html#sources", _review_context(claim, review, source_form=source_form)
    )


@access(Rule.ASSIGNED_REVIEWER)
@require_http_methods(["GET", "POST"])
def review_source_add(request: AuthedRequest, claim_id: int) -> HttpResponse:
    """htmx: add one source in place; the open form (and its version) are left alone."""
    claim = get_claim_for_review(request, claim_id)
    if request.method == "GET":
        return redirect("articles:review_edit", claim_id=claim.pk)
    source_form = SourceForm(request.POST, prefix="new")
    if source_form.is_valid():
        try:
            add_source(claim=claim, reviewer=request.user, item=_source_input(source_form))
        except (TransitionError, ValidationError) as exc:
            for message in getattr(exc, "messages", [str(exc)]):
                source_form.add_error(None, message)
        else:
            source_form = SourceForm(prefix="new")
    if not request.htmx:
        if source_form.errors:
            messages.error(
                request, " ".join(str(e) for errors in source_form.errors.values() for e in errors)
            )
        return redirect("articles:review_edit", claim_id=claim.pk)
    return _sources_partial(request, claim, source_form)


@access(Rule.ASSIGNED_REVIEWER)
@require_http_methods(["GET", "POST"])
def review_source_remove(request: AuthedRequest, claim_id: int, source_id: int) -> HttpResponse:
    claim = get_claim_for_review(request, claim_id)
    if request.method == "GET":
        return redirect("articles:review_edit", claim_id=claim.pk)
    try:
        remove_source(claim=claim, reviewer=request.user, source_id=source_id)
    except TransitionError as exc:
        messages.error(request, " ".join(exc.messages))
    if not request.htmx:
        return redirect("articles:review_edit", claim_id=claim.pk)
    return _sources_partial(request, claim, SourceForm(prefix="new"))


@access(Rule.VIEW)
@require_GET
def claim_detail(request: AuthedRequest, claim_id: int) -> HttpResponse:
    """The claim in its paragraph, its extraction, its current or approved review, and the editor's actions."""
    claim = get_object_or_404(Claim.objects.select_related("article"), pk=claim_id)
    assignments = list(
        claim.assignments.select_related("reviewer", "assigned_by", "review__verdict")
        .prefetch_related(Prefetch("review__sources"))
        .order_by("-opened_at", "-id")[:1]
    )
    assignment: Assignment | None = assignments[0] if assignments else None
    review = getattr(assignment, "review", None) if assignment else None
    context = {
        "claim": claim,
        "assignment": assignment,
        "review": review,
        "sources": list(review.sources.all()) if review else [],
        "can_work": request.user.is_editor_role,
        "is_reviewer": assignment is not None
        and assignment.is_open
        and assignment.reviewer_id == request.user.pk,
        "comments": _comments(claim),
        "max_chars": MAX_COMMENT_CHARS,
    }
    return render(request, "articles/claim_detail.html", context)


@access(Rule.WORK)
@require_POST
def claim_return(request: AuthedRequest, claim_id: int) -> HttpResponse:
    claim = get_object_or_404(Claim, pk=claim_id)
    try:
        return_claim(claim=claim, editor=request.user, comment=request.POST.get("comment", ""))
    except TransitionError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Review returned to the reviewer with your comment.")
    if request.POST.get("next") == "claim":
        return redirect("articles:claim_detail", claim_id=claim.pk)
    return article_response(request, claim.article_id, f"claim-{claim.pk}")


@access(Rule.WORK)
@require_POST
def claim_restore_text(request: AuthedRequest, claim_id: int, history_id: int) -> HttpResponse:
    """Put an earlier text of the claim back (an edit like any other, recorded as such)."""
    claim = get_object_or_404(Claim, pk=claim_id)
    old = claim.history.filter(history_id=history_id).first()
    if old is None:
        messages.error(request, "That version is not one of this claim's.")
        return redirect("articles:claim_history", claim_id=claim.pk)
    try:
        edit_claim(claim_id=claim.pk, text=old.text, by=request.user)
    except CurationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"The text of {old.history_date:%d %b %H:%M} is back.")
    return redirect("articles:claim_history", claim_id=claim.pk)


@access(Rule.ASSIGNED_REVIEWER)
@require_http_methods(["GET", "POST"])
def review_restore_draft(request: AuthedRequest, claim_id: int, history_id: int) -> HttpResponse:
    """The assigned reviewer puts an earlier state of their own draft back (GET: back to the history)."""
    claim = get_claim_for_review(request, claim_id)  # the object check comes before anything else
    if request.method == "GET":
        return redirect("articles:claim_history", claim_id=claim.pk)
    try:
        restore_draft(claim=claim, reviewer=request.user, history_id=history_id)
    except TransitionError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Earlier draft restored.")
    return redirect("articles:claim_history", claim_id=claim.pk)


@access(Rule.WORK)
@require_POST
def claim_reopen(request: AuthedRequest, claim_id: int) -> HttpResponse:
    """An approved claim back to review for a correction (then re-approve and publish a new version)."""
    claim = get_object_or_404(Claim, pk=claim_id)
    try:
        reopen_claim(claim=claim, editor=request.user, reason=request.POST.get("reason", ""))
    except TransitionError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, "Claim reopened: its reviewer has it back, with the approved review as a draft."
        )
    return redirect("articles:claim_detail", claim_id=claim.pk)
