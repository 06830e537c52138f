from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from verify.accounts.models import User


class AuthedRequest(HttpRequest):
    """Type hint for views behind a non-public access rule."""

    user: User
    htmx: HtmxDetails
