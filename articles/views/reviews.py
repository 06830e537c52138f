from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ..forms import ReviewForm, SourceFormSet
from ..models import TransitionError
from ..permissions import Rule, access, get_claim_for_review
from ..services.reviews import SourceInput, get_or_start_review, save_review
from ..types import AuthedRequest


@access(Rule.ASSIGNED_REVIEWER)
@require_http_methods(["GET", "POST"])
def review_edit(request: AuthedRequest, claim_id: int) -> HttpResponse:
    claim = get_claim_for_review(request, claim_id)
    review = get_or_start_review(claim=claim)
    if request.method == "POST":
        form = ReviewForm(request.POST)
        formset = SourceFormSet(request.POST, prefix="sources")
        if form.is_valid() and formset.is_valid():
            sources = [
                SourceInput(
                    url=f.cleaned_data["url"],
                    title=f.cleaned_data.get("title", ""),
                    excerpt=f.cleaned_data.get("excerpt", ""),
                )
                for f in formset.forms
                if f.cleaned_data.get("url") and not f.cleaned_data.get("DELETE")
            ]
            submit = "submit" in request.POST
            try:
                save_review(
                    claim=claim,
                    reviewer=request.user,
                    verdict=form.cleaned_data["verdict"],
                    confidence=form.cleaned_data["confidence"],
                    summary=form.cleaned_data["summary"],
                    sources=sources,
                    submit=submit,
                )
            except TransitionError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                if submit:
                    messages.success(request, "Review submitted for approval.")
                    return redirect("articles:my_claims")
                messages.success(request, "Draft saved.")
                return redirect("articles:review_edit", claim_id=claim.pk)
    else:
        form = ReviewForm(
            initial={"verdict": review.verdict_id, "confidence": review.confidence, "summary": review.summary}
        )
        formset = SourceFormSet(
            prefix="sources",
            initial=[{"url": s.url, "title": s.title, "excerpt": s.excerpt} for s in review.sources.all()],
        )
    return render(
        request,
        "articles/review_form.html",
        {"claim": claim, "review": review, "form": form, "formset": formset},
    )
