"""In-app notifications with an email copy; the unread counter lives on the user row."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from verify.accounts.models import User

from ..models import NewsroomSettings, Notification

log = logging.getLogger(__name__)


def notify(
    *, user: User, message: str, url: str = "", actor: User | None = None, email: bool = True
) -> Notification:
    """Tell `user` something: a row for the bell, and an email sent once the transaction commits."""
    note = Notification.objects.create(user=user, actor=actor, message=message[:500], url=url[:500])
    User.objects.filter(pk=user.pk).update(unread_notifications=F("unread_notifications") + 1)
    if email and user.email:
        transaction.on_commit(lambda: _send_email(note, user))
    return note


def _send_email(note: Notification, user: User) -> None:
    base = NewsroomSettings.load().base_url or settings.VERIFY_BASE_URL
    link = base.rstrip("/") + note.url if note.url.startswith("/") else note.url
    body = render_to_string("email/notification.txt", {"note": note, "user": user, "link": link})
    try:
        send_mail(f"[Verify] {note.message[:120]}", body, None, [user.email])
    except Exception:  # the in-app notification stands; a mail outage must not undo an assignment
        log.exception("Could not email notification %s to %s", note.pk, user.pk)


def mark_read(*, user: User, notification_ids: list[int] | None = None) -> int:
    """Mark some (or all) of the user's unread notifications read; returns how many changed."""
    with transaction.atomic():
        unread = Notification.objects.filter(user=user, read_at__isnull=True)
        if notification_ids is not None:
            unread = unread.filter(pk__in=notification_ids)
        changed = unread.update(read_at=timezone.now())
        if changed:
            # Recount rather than subtract: the counter can never drift below the truth.
            User.objects.filter(pk=user.pk).update(
                unread_notifications=Notification.objects.filter(user=user, read_at__isnull=True).count()
            )
        return changed
