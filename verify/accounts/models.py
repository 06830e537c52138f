from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

ADMIN = "Admin"
EDITOR = "Editor"
REVIEWER = "Reviewer"
ROLE_NAMES = (ADMIN, EDITOR, REVIEWER)


class User(AbstractUser):
    """A newsroom member. Roles are Groups (see articles/permissions.py)."""

    is_available = models.BooleanField(
        default=True, help_text="Unavailable reviewers are skipped by auto-assign."
    )
    unavailable_until = models.DateField(
        null=True, blank=True, help_text="Back on this day; empty: until marked available again."
    )
    unread_notifications = models.PositiveIntegerField(
        default=0, editable=False, help_text="Kept with each notification, so no page counts them."
    )

    two_factor_enabled = models.BooleanField(
        default=False,
        editable=False,
        help_text="Has a confirmed authenticator: every log-in asks for a code (kept on the row so no page queries devices).",
    )

    # Who changed an account and when; role changes are written into the change reason.
    history = HistoricalRecords(excluded_fields=["password", "last_login", "unread_notifications"])

    class Meta:
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    # Roles are Groups holding the permissions declared on NewsroomSettings;
    # has_perm caches them on the instance, so a page pays for them once.
    @property
    def is_admin_role(self) -> bool:
        return self.has_perm("articles.manage_newsroom")

    @property
    def is_editor_role(self) -> bool:
        return self.has_perm("articles.work_desk")

    @property
    def can_view_desk(self) -> bool:
        return self.has_perm("articles.view_desk")

    @property
    def can_self_assign(self) -> bool:
        return self.has_perm("articles.self_assign")

    def available_on(self, day=None) -> bool:
        day = day or timezone.localdate()
        if self.is_available:
            return True
        return self.unavailable_until is not None and self.unavailable_until <= day
