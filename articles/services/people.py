"""Newsroom members and their roles, managed by admins in the app."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from verify.accounts.models import ROLE_NAMES, User


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
