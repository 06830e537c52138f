"""The comments on one claim: read them, add one.

Without JavaScript the form POSTs and redirects back to the new comment; with
htmx it answers the page's `comments` partial (the list and the form), which
replaces itself in place. A refused comment comes back with the text typed.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from ..models import Claim
from ..permissions import Rule, access
from ..services.comments import MAX_COMMENT_CHARS, CommentError, add_comment, comments_url
from ..types import AuthedRequest


@access(Rule.VIEW)
@require_http_methods(["GET", "POST"])
def claim_comments(request: AuthedRequest, claim_id: int) -> HttpResponse:
    claim = get_object_or_404(Claim.objects.select_related("article"), pk=claim_id)
    body, error = "", ""
    if request.method == "POST":
        body = request.POST.get("body", "")
        try:
            comment = add_comment(claim=claim, author=request.user, body=body)
        except CommentError as exc:
            error = " ".join(exc.messages)
        else:
            if not request.htmx:
                return redirect(comments_url(claim, comment))
            body = ""
    context = {
        "claim": claim,
        "comments": claim.comments.select_related("author").order_by("created_at", "id"),
        "body": body,
        "error": error,
        "max_chars": MAX_COMMENT_CHARS,
    }
    if request.htmx:
        return render(request, "articles/claim_comments.html#comments", context)
    return render(request, "articles/claim_comments.html", context)
