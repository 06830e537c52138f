"""Who may do what: the roles table of the foundation issue, in Python.

Every view carries exactly one `@access(Rule.X)` decorator. It redirects
anonymous users to the login page and answers 403 to logged-in users whose
role does not allow the rule. Object-level rules (the assigned reviewer) are
checked again by the `get_*_for_user` helpers. The URL x role test reads the
rule from each view, so a view without one fails that test.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from .models import Claim


class Rule(enum.StrEnum):
    PUBLIC = "public"  # no login: login/logout/reset pages, health, published sheets
    LOGGED_IN = "logged in"  # any account, with or without a role (password change)
    ADMIN = "admin"  # users, verdict scale, newsroom settings
    VIEW = "view"  # see articles, claims, jobs, history; comment
    WORK = "work"  # import, curate, assign, unassign, approve, return, export, publish
    SELF = "self"  # self-assign where allowed, own availability
    ASSIGNED_REVIEWER = "assigned reviewer"  # write the review: checked per object too


# URL names reachable without logging in. The URL x role test takes its
# allow-list from here and nowhere else.
PUBLIC_URL_NAMES = frozenset(
    {
        "login",
        "logout",
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
        "health",
        "articles:factsheet_public",
        "articles:factsheet_public_version",
        "articles:factsheet_public_download",
    }
)

RULE_PERMISSION = {
    Rule.ADMIN: "articles.manage_newsroom",
    Rule.VIEW: "articles.view_desk",
    Rule.WORK: "articles.work_desk",
    Rule.SELF: "articles.self_assign",
    # Writing a review needs a reviewer's permission first; the object check follows.
    Rule.ASSIGNED_REVIEWER: "articles.view_desk",
}


def user_passes(user, rule: Rule) -> bool:
    if rule is Rule.PUBLIC:
        return True
    if not user.is_authenticated:
        return False
    if rule is Rule.LOGGED_IN:
        return True
    return user.has_perm(RULE_PERMISSION[rule])


def access(rule: Rule) -> Callable:
    """Mark a view with its rule and enforce it before anything else runs."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if rule is not Rule.PUBLIC:
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
                if not user_passes(request.user, rule):
                    raise PermissionDenied("Your role does not allow this.")
            return view(request, *args, **kwargs)

        wrapped.access_rule = rule  # type: ignore[attr-defined]
        return wrapped

    return decorator


def get_claim_for_review(request: HttpRequest, claim_id: int) -> Claim:
    """The claim whose review the requesting user may write: 404, then 403."""
    claim = get_object_or_404(Claim.objects.select_related("article"), pk=claim_id)
    if not claim.is_assigned_reviewer(request.user):
        raise PermissionDenied("Only the assigned reviewer may write this review.")
    return claim
