"""The client address django-axes locks out, and who counts as locked."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """REMOTE_ADDR, or behind VERIFY_PROXY_COUNT proxies the address the
    outermost of them saw (X-Forwarded-For entries left of it are client-sent
    and could be anything, so they are never used)."""
    count = settings.VERIFY_PROXY_COUNT
    if count:
        forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")
