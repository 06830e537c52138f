from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from ..forms import DeskFilterForm, reviewer_queryset
from ..permissions import Rule, access
from ..services.desk import DeskList, desk_claims, desk_overview
from ..types import AuthedRequest

DESK_PAGE_SIZE = 50


@access(Rule.WORK)
@require_GET
def desk(request: AuthedRequest) -> HttpResponse:
    """Open work for editors: counts, each reviewer's load, and a filtered page of claims."""
    now = timezone.now()
    reviewers = list(reviewer_queryset())
    form = DeskFilterForm(request.GET, reviewers=reviewers)
    claims = desk_claims(now=now, **form.filters())
    context = {
        "form": form,
        "page": Paginator(DeskList(claims), DESK_PAGE_SIZE).get_page(request.GET.get("page")),
        "now": now,
    }
    # The filter form and pager swap the claims partial; a history restore wants the whole page.
    if request.htmx and not request.htmx.history_restore_request:
        response = render(request, "articles/desk.html#desk-claims", context)
    else:
        summary, loads = desk_overview(reviewers=reviewers, now=now)
        response = render(request, "articles/desk.html", {**context, "summary": summary, "loads": loads})
    # One URL, two bodies: caches must not hand the partial to a full page load.
    patch_vary_headers(response, ["HX-Request"])
    return response
