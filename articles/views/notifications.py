"""The bell: a member's notifications, and their own availability for auto-assign."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from verify.accounts.models import User

from ..forms import AvailabilityForm
from ..models import Notification
from ..permissions import Rule, access
from ..services.notifications import mark_read
from ..types import AuthedRequest


@access(Rule.VIEW)
@require_GET
def notifications(request: AuthedRequest) -> HttpResponse:
    page = Paginator(Notification.objects.filter(user=request.user).select_related("actor"), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "articles/notifications.html", {"page": page})


@access(Rule.VIEW)
@require_GET
def notification_open(request: AuthedRequest, notification_id: int) -> HttpResponse:
    """Mark one notification read and go where it points; someone else's leads to your own list."""
    note = Notification.objects.filter(pk=notification_id, user=request.user).first()
    if note is None:
        return redirect("articles:notifications")
    mark_read(user=request.user, notification_ids=[note.pk])
    safe = note.url and url_has_allowed_host_and_scheme(note.url, allowed_hosts={request.get_host()})
    return redirect(note.url if safe else "articles:notifications")


@access(Rule.VIEW)
@require_POST
def notifications_read(request: AuthedRequest) -> HttpResponse:
    changed = mark_read(user=request.user)
    messages.success(request, f"{changed} notification{'s' if changed != 1 else ''} marked as read.")
    return redirect("articles:notifications")


def _availability(request: AuthedRequest, member: User, done: str) -> HttpResponse:
    form = AvailabilityForm(request.POST if request.method == "POST" else None, instance=member)
    if request.method == "POST" and form.is_valid():
        member = form.save(commit=False)
        member._history_user = request.user
        member._change_reason = (
            "available"
            if member.is_available
            else f"away until {member.unavailable_until or 'further notice'}"
        )
        member.save(update_fields=["is_available", "unavailable_until"])
        messages.success(request, f"{member} is now {'available' if member.is_available else 'away'}.")
        return redirect(done)
    return render(request, "articles/availability.html", {"form": form, "member": member})


@access(Rule.SELF)
@require_http_methods(["GET", "POST"])
def my_availability(request: AuthedRequest) -> HttpResponse:
    """Reviewers mark themselves away (auto-assign skips them) or available."""
    return _availability(request, request.user, reverse("articles:my_availability"))


@access(Rule.WORK)
@require_http_methods(["GET", "POST"])
def member_availability(request: AuthedRequest, user_id: int) -> HttpResponse:
    """Editors mark a member away or available, e.g. someone off sick."""
    member = get_object_or_404(User, pk=user_id, is_active=True)
    return _availability(request, member, reverse("articles:member_availability", args=[member.pk]))
