"""Newsroom members and their roles, managed by admins in the app."""

from __future__ import annotations

import logging

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from verify.accounts.models import ROLE_NAMES, User

logger = logging.getLogger(__name__)


class RoleChangeRefused(Exception):
    pass


def _set_roles(user: User, roles: list[str], *, by: User) -> None:
    unknown = set(roles) - set(ROLE_NAMES)
    if unknown:
        raise ValueError(f"Unknown roles: {sorted(unknown)}")
    user.groups.set(Group.objects.filter(name__in=roles))
    user._history_user = by
    user._change_reason = "roles: " + (", ".join(sorted(roles)) or "none")
    user.save()


def create_member(
    *,
    request: HttpRequest,
    username: str,
    email: str,
    first_name: str,
    last_name: str,
    roles: list[str],
    by: User,
) -> User:
    """Create an account without a password and email its owner a link to set one."""
    with transaction.atomic():
        user = User(username=username, email=email, first_name=first_name, last_name=last_name)
        user.set_unusable_password()
        user._history_user = by
        user._change_reason = "created"
        user.save()
        _set_roles(user, roles, by=by)
    # Django's reset form skips accounts without a usable password, so the
    # welcome link is built here with the same token generator.
    context = {
        "user": user,
        "domain": request.get_host(),
        "protocol": "https" if request.is_secure() else "http",
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }
    subject = render_to_string("accounts/welcome_subject.txt", context).strip()
    send_mail(subject, render_to_string("accounts/welcome_email.txt", context), None, [email])
    return user


def update_member(
    *, user: User, email: str, first_name: str, last_name: str, roles: list[str], is_active: bool, by: User
) -> User:
    """Change an account; an admin may not remove their own Admin role or deactivate themself."""
    if user.pk == by.pk and not by.is_superuser and ("Admin" not in roles or not is_active):
        raise RoleChangeRefused("You cannot remove your own Admin role or deactivate yourself.")
    with transaction.atomic():
        user.email = email
        user.first_name = first_name
        user.last_name = last_name
        user.is_active = is_active
        _set_roles(user, roles, by=by)
    return user


def locked_out_usernames() -> set[str]:
    """Usernames with a lock-out in force from at least one address (django-axes)."""
    attempts = AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT)
    cool_off = get_cool_off()
    if cool_off:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    return set(attempts.values_list("username", flat=True))


def unlock_member(*, user: User, by: User) -> int:
    """Lift every lock-out of this username, from every address; returns how many were lifted."""
    lifted = reset(username=user.username)
    logger.info("lock-out lifted", extra={"username": user.username, "by": by.username, "attempts": lifted})
    return lifted


def reset_two_factor(*, user: User, by: User) -> None:
    """Remove the member's authenticator (a lost phone): they enrol again at their next log-in."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        User.objects.filter(pk=user.pk).update(two_factor_enabled=False)
    logger.info("two-factor reset", extra={"username": user.username, "by": by.username})
