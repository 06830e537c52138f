"""TOTP two-factor (django-otp): who must use it, enrolment and verification."""

from __future__ import annotations

import base64
import io

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User


def admin_must_enrol(user: User) -> bool:
    """Admins (the Admin role or superusers) need an authenticator when VERIFY_REQUIRE_ADMIN_OTP is on."""
    return settings.VERIFY_REQUIRE_ADMIN_OTP and user.is_admin_role


def requires_two_factor(user: User) -> bool:
    """Whether this session must give a TOTP code before any page: admins when
    required, and anyone who chose to enrol (optional for everyone else)."""
    return user.two_factor_enabled or admin_must_enrol(user)


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user: User) -> TOTPDevice:
    """The unconfirmed device an enrolment shows, made on first visit and kept
    until confirmed, so reloading the page does not change the secret."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def qr_data_uri(text: str) -> str:
    """An SVG QR code as a data: URI for an <img>, which the CSP allows (no inline style or script)."""
    out = io.BytesIO()
    qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage).save(out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


def confirm_enrolment(*, request, device: TOTPDevice, token: str) -> bool:
    """Confirm a pending device with a code from the app and verify this session with it."""
    if not device.verify_token(token):
        return False
    with transaction.atomic():
        # One authenticator per person: a new enrolment replaces the old one.
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        User.objects.filter(pk=device.user_id).update(two_factor_enabled=True)
    request.user.two_factor_enabled = True
    otp_login(request, device)
    return True


def verify_session(*, request, token: str) -> bool:
    """Mark this session as verified when the token matches the user's device."""
    device = confirmed_device(request.user)
    if device is None or not device.verify_token(token):
        return False
    otp_login(request, device)
    return True
