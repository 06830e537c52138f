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

# Enough for a screen of the most urgent claims; filters narrow the rest.
DESK_PAGE_SIZE = 25


@access(Rule.WORK)
@require_GET
def desk(request: AuthedRequest) -> HttpResponse:
    """Open work for editors: counts, each reviewer's load, and a filtered page of claims."""
    now = timezone.now()
    reviewers = list(reviewer_queryset())
    form = DeskFilterForm(request.GET, reviewers=reviewers)
    filters = form.filters()
    # The filter form and pager swap the claims partial; a history restore wants the whole page.
    partial = request.htmx and not request.htmx.history_restore_request
    context = {"form": form, "now": now}
    n_dated = None
    if not partial:
        summary, loads = desk_overview(reviewers=reviewers, now=now)
        context.update(summary=summary, loads=loads)
        if not filters:  # open work, every claim: the summary has counted those with a due date
            n_dated = summary.dated
    people = {user.pk: user for user in reviewers}
    claims = DeskList(desk_claims(now=now, **filters), people=people, n_dated=n_dated)
    context["page"] = Paginator(claims, DESK_PAGE_SIZE).get_page(request.GET.get("page"))
    template = "articles/desk.html#desk-claims" if partial else "articles/desk.html"
    response = render(request, template, context)
    # One URL, two bodies: caches must not hand the partial to a full page load.
    patch_vary_headers(response, ["HX-Request"])
    return response
