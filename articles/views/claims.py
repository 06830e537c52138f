from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from ..forms import AssignForm
from ..models import Claim, TransitionError
from ..permissions import Rule, access
from ..services.reviews import approve_claim
from ..types import AuthedRequest


def _back_to_article(claim: Claim) -> HttpResponse:
    return redirect(claim.get_absolute_url())


@access(Rule.WORK)
@require_POST
def claim_assign(request: AuthedRequest, claim_id: int) -> HttpResponse:
    claim = get_object_or_404(Claim, pk=claim_id)
    form = AssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a reviewer to assign the claim to.")
        return _back_to_article(claim)
    try:
        claim.assign_to(form.cleaned_data["reviewer"], by=request.user, due_at=form.cleaned_data["due_at"])
    except TransitionError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Claim assigned to {form.cleaned_data['reviewer']}.")
    return _back_to_article(claim)


@access(Rule.WORK)
@require_POST
def claim_approve(request: AuthedRequest, claim_id: int) -> HttpResponse:
    claim = get_object_or_404(Claim, pk=claim_id)
    try:
        approve_claim(claim=claim, editor=request.user)
    except TransitionError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Claim approved.")
    return _back_to_article(claim)
