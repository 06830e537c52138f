"""Editors curate an article's claims: each action is a plain form that htmx submits in place.

Without JavaScript every POST redirects back to the article page (the claim's
anchor); with htmx it answers the page's `curation` partial, which replaces
the text and the claim lists together, messages included.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import retarget

from ..forms import BulkAssignForm
from ..models import Article, Claim, TransitionError
from ..permissions import Rule, access
from ..services.assignment import NoReviewerAvailable, assign_claims, auto_assign
from ..services.claims import store_extracted_claims
from ..services.curation import (
    CurationError,
    add_claim,
    bulk_move,
    edit_claim,
    find_in_body,
    merge_claims,
    split_claim,
)
from ..types import AuthedRequest
from .pages import article_page_context


def article_response(request: AuthedRequest, article_id: int, anchor: str = "") -> HttpResponse:
    """The article's curation partial for htmx, else a redirect to the page."""
    if request.htmx:
        article = get_object_or_404(Article, pk=article_id)
        context = article_page_context(request, article, show_candidates=_wants_candidates(request))
        return render(request, "articles/article_detail.html#curation", context)
    url = redirect("articles:article_detail", article_id).url
    if _wants_candidates(request):
        url += "?candidates=1"
    return redirect(url + (f"#{anchor}" if anchor else ""))


def _wants_candidates(request: AuthedRequest) -> bool:
    return request.POST.get("candidates") == "1" or request.GET.get("candidates") == "1"


def _error(request: AuthedRequest, exc: Exception) -> None:
    messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


@access(Rule.WORK)
@require_http_methods(["GET", "POST"])
def claim_edit(request: AuthedRequest, claim_id: int) -> HttpResponse:
    """The claim editor: edit the text, split it; a page of its own, or loaded in place by htmx."""
    claim = get_object_or_404(Claim.objects.select_related("article"), pk=claim_id)
    text, error = claim.text, ""
    if request.method == "POST":
        text = request.POST.get("text", "")
        seen_text = request.POST.get("seen_text")
        try:
            edit_claim(claim_id=claim.pk, text=text, by=request.user, seen_text=seen_text)
        except CurationError as exc:
            claim.refresh_from_db()
            error = " ".join(exc.messages)
            if claim.text != text.strip():
                error += (
                    f" The claim now reads: “{claim.text}”. Your text is below: save again to replace it."
                )
        else:
            messages.success(request, "Claim text saved; its place in the article is unchanged.")
            return article_response(request, claim.article_id, f"claim-{claim.pk}")
    context = {
        "claim": claim,
        "article": claim.article,
        "text": text,
        "error": error,
        "original": claim.article.body[claim.start : claim.end],
    }
    if request.htmx:
        response = render(request, "articles/claim_edit.html#editor", context)
        return retarget(response, f"#editor-{claim.pk}") if request.method == "POST" else response
    return render(request, "articles/claim_edit.html", context)


@access(Rule.WORK)
@require_POST
def claim_split(request: AuthedRequest, claim_id: int) -> HttpResponse:
    claim = get_object_or_404(Claim, pk=claim_id)
    at = _int(request.POST.get("at"))
    before = request.POST.get("before", "").strip()
    if at is None and before:
        found = claim.text.find(before, 1)
        at = found if found > 0 else None
        if at is None:
            messages.error(request, f"“{before}” is not inside the claim after its first character.")
            return article_response(request, claim.article_id, f"claim-{claim.pk}")
    if at is None:
        messages.error(request, "Say where to split: type the words the second part starts with.")
        return article_response(request, claim.article_id, f"claim-{claim.pk}")
    try:
        split_claim(claim_id=claim.pk, at=at, by=request.user)
    except CurationError as exc:
        _error(request, exc)
    else:
        messages.success(request, "Claim split in two.")
    return article_response(request, claim.article_id, f"claim-{claim.pk}")


@access(Rule.WORK)
@require_POST
def claim_merge(request: AuthedRequest, claim_id: int) -> HttpResponse:
    claim = get_object_or_404(Claim, pk=claim_id)
    other = _int(request.POST.get("with"))
    try:
        if other is None:
            raise CurationError("Choose the claim to merge with.")
        merged = merge_claims(claim_ids=(claim.pk, other), by=request.user)
    except CurationError as exc:
        _error(request, exc)
        return article_response(request, claim.article_id, f"claim-{claim.pk}")
    messages.success(request, "Claims merged.")
    return article_response(request, merged.article_id, f"claim-{merged.pk}")


def _lifecycle(request: AuthedRequest, claim_id: int, action: str, done: str) -> HttpResponse:
    claim = get_object_or_404(Claim, pk=claim_id)
    try:
        if action == "discard":
            claim.discard(by=request.user, reason=request.POST.get("reason", "").strip()[:500])
        elif action == "restore":
            claim.restore(by=request.user)
        else:
            claim.promote(by=request.user)
    except TransitionError as exc:
        _error(request, exc)
    else:
        messages.success(request, done)
    return article_response(request, claim.article_id, f"claim-{claim.pk}")


@access(Rule.WORK)
@require_POST
def claim_discard(request: AuthedRequest, claim_id: int) -> HttpResponse:
    return _lifecycle(request, claim_id, "discard", "Claim discarded; restore it from the discarded list.")


@access(Rule.WORK)
@require_POST
def claim_restore(request: AuthedRequest, claim_id: int) -> HttpResponse:
    return _lifecycle(request, claim_id, "restore", "Claim restored.")


@access(Rule.WORK)
@require_POST
def claim_promote(request: AuthedRequest, claim_id: int) -> HttpResponse:
    return _lifecycle(request, claim_id, "promote", "Candidate promoted to a claim.")


@access(Rule.WORK)
@require_POST
def claim_add(request: AuthedRequest, article_id: int) -> HttpResponse:
    """A claim from a selection (start/end offsets, sent by the page's script) or from pasted text."""
    article = get_object_or_404(Article, pk=article_id)
    start, end = _int(request.POST.get("start")), _int(request.POST.get("end"))
    try:
        if start is None or end is None:
            start, end = find_in_body(article.body, request.POST.get("text", ""))
        claim = add_claim(article_id=article.pk, start=start, end=end, by=request.user)
    except CurationError as exc:
        _error(request, exc)
        return article_response(request, article.pk)
    messages.success(request, "Claim added from the text.")
    return article_response(request, article.pk, f"claim-{claim.pk}")


@access(Rule.WORK)
@require_POST
def claims_bulk(request: AuthedRequest, article_id: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=article_id)
    ids = [i for i in (_int(v) for v in request.POST.getlist("claims")) if i is not None]
    action = request.POST.get("action", "")
    if not ids:
        messages.error(request, "Tick the claims first.")
        return article_response(request, article.pk)
    if action in ("assign", "auto"):
        return _bulk_assign(request, article, ids, auto=action == "auto")
    try:
        result = bulk_move(
            article=article,
            claim_ids=ids,
            action=action,
            by=request.user,
            reason=request.POST.get("reason", "").strip()[:500],
        )
    except CurationError as exc:
        _error(request, exc)
        return article_response(request, article.pk)
    verb = "discarded" if action == "discard" else "promoted"
    if result.done:
        messages.success(request, f"{result.done} claim{'s' if result.done != 1 else ''} {verb}.")
    for refusal in result.refused:
        messages.error(request, refusal)
    return article_response(request, article.pk)


def _bulk_assign(request: AuthedRequest, article: Article, ids: list[int], *, auto: bool) -> HttpResponse:
    form = BulkAssignForm(request.POST)
    if not form.is_valid() or (not auto and form.cleaned_data["reviewer"] is None):
        messages.error(request, "Choose a reviewer (or auto-assign), and a valid due date if any.")
        return article_response(request, article.pk)
    due_at = form.cleaned_data["due_at"]
    try:
        if auto:
            result = auto_assign(article=article, claim_ids=ids, by=request.user, due_at=due_at)
        else:
            result = assign_claims(
                article=article,
                claim_ids=ids,
                reviewer=form.cleaned_data["reviewer"],
                by=request.user,
                due_at=due_at,
            )
    except NoReviewerAvailable as exc:
        messages.error(request, str(exc))
        return article_response(request, article.pk)
    if result.total:
        spread = ", ".join(f"{n} to {reviewer}" for reviewer, n in result.assigned.most_common())
        messages.success(
            request, f"{result.total} claim{'s' if result.total != 1 else ''} assigned: {spread}."
        )
    for refusal in result.refused:
        messages.error(request, refusal)
    return article_response(request, article.pk)


@access(Rule.WORK)
@require_POST
def article_reextract(request: AuthedRequest, article_id: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=article_id)
    result = store_extracted_claims(article=article, by=request.user)
    messages.success(request, f"Claims extracted again: {result.summary()}.")
    return article_response(request, article.pk)
