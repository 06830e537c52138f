"""Assignment and approval actions on one claim; each answers like the curation actions."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from ..forms import AssignForm
from ..models import Claim, TransitionError
from ..permissions import Rule, access
from ..services.assignment import assign_claims, reassign_claim, take_claim, unassign_claim
from ..services.reviews import approve_claim
from ..types import AuthedRequest
from .curation import article_response


def _refused(request: AuthedRequest, exc: TransitionError) -> None:
    messages.error(request, " ".join(exc.messages))


@access(Rule.WORK)
@require_POST
def claim_assign(request: AuthedRequest, claim_id: int) -> HttpResponse:
    claim = get_object_or_404(Claim.objects.select_related("article"), pk=claim_id)
    form = AssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a reviewer to assign the claim to.")
        return article_response(request, claim.article_id, f"claim-{claim.pk}")
    reviewer = form.cleaned_data["reviewer"]
    result = assign_claims(
        article=claim.article,
        claim_ids=[claim.pk],
        reviewer=reviewer,
        by=request.user,
        due_at=form.cleaned_data["due_at"],
    )
    for refusal in result.refused:
        messages.error(request, refusal)
    if result.total:
        messages.success(request, f"Claim assigned to {reviewer}.")
    return article_response(request, claim.article_id, f"claim-{claim.pk}")


@access(Rule.SELF)
@require_POST
def claim_take(request: AuthedRequest, claim_id: int) -> HttpResponse:
    """A reviewer takes a new claim for themself, where the newsroom allows it."""
    claim = get_object_or_404(Claim, pk=claim_id)
    try:
        take_claim(claim=claim, by=request.user)
    except TransitionError as exc:
        _refused(request, exc)
    else:
        messages.success(request, "The claim is yours: it is in My claims.")
    return article_response(request, claim.article_id, f"claim-{claim.pk}")


@access(Rule.WORK)
@require_POST
def claim_unassign(request: AuthedRequest, claim_id: int) -> HttpResponse:
    claim = get_object_or_404(Claim, pk=claim_id)
    try:
        unassign_claim(claim=claim, by=request.user)
    except TransitionError as exc:
        _refused(request, exc)
    else:
        messages.success(request, "Claim unassigned; it is new again.")
    return article_response(request, claim.article_id, f"claim-{claim.pk}")


@access(Rule.WORK)
@require_POST
def claim_reassign(request: AuthedRequest, claim_id: int) -> HttpResponse:
    claim = get_object_or_404(Claim.objects.select_related("article"), pk=claim_id)
    form = AssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose the reviewer to give the claim to.")
        return article_response(request, claim.article_id, f"claim-{claim.pk}")
    reviewer = form.cleaned_data["reviewer"]
    try:
        reassign_claim(claim=claim, reviewer=reviewer, by=request.user, due_at=form.cleaned_data["due_at"])
    except TransitionError as exc:
        _refused(request, exc)
    else:
        messages.success(request, f"Claim reassigned to {reviewer}.")
    return article_response(request, claim.article_id, f"claim-{claim.pk}")


@access(Rule.WORK)
@require_POST
def claim_approve(request: AuthedRequest, claim_id: int) -> HttpResponse:
    claim = get_object_or_404(Claim, pk=claim_id)
    try:
        approve_claim(claim=claim, editor=request.user)
    except TransitionError as exc:
        _refused(request, exc)
    else:
        messages.success(request, "Claim approved.")
    if request.POST.get("next") == "claim":
        return redirect("articles:claim_detail", claim_id=claim.pk)
    return article_response(request, claim.article_id, f"claim-{claim.pk}")
