from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_htmx.http import HttpResponseClientRedirect

from .twofactor import requires_two_factor

# The pages an admin who has not yet given a code may still reach.
EXEMPT_VIEWS = frozenset({"two_factor", "two_factor_verify", "logout", "health"})


class AdminTwoFactorMiddleware:
    """Send a logged-in user who must give a code (an admin, or anyone enrolled)
    and whose session is not OTP-verified to verify one, or to enrol when they
    have no authenticator yet, before any page but those in EXEMPT_VIEWS."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or user.is_verified() or not requires_two_factor(user):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in EXEMPT_VIEWS:
            return None
        target = "two_factor_verify" if user.two_factor_enabled else "two_factor"
        url = reverse(target) + "?" + urlencode({"next": request.get_full_path()})
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(url)
        return redirect(url)


SEEN_KEY = "_verify_seen"


class SessionIdleMiddleware:
    """Idle expiry without a database write on every request.

    A logged-in session records when it was last saved; once that is more than
    VERIFY_SESSION_REFRESH_SECONDS ago, the next request saves it again, which
    moves its expiry (row and cookie) to SESSION_COOKIE_AGE from now. A session
    saved during the request anyway (the log-in itself) is marked for free.
    Sessions made outside a request (tests' force_login) carry no mark and
    simply expire SESSION_COOKIE_AGE after they were made.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or SESSION_KEY not in session:
            return response
        now = int(time.time())
        seen = session.get(SEEN_KEY)
        if session.modified or (seen is not None and now - seen >= settings.VERIFY_SESSION_REFRESH_SECONDS):
            session[SEEN_KEY] = now
        return response
