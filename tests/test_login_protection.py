"""Issue 9 acceptance: lock-out by username and address, admin unlock, admins'
two-factor, optional two-factor for others, idle sessions, password strength.

Every log-in goes through the real form, with REMOTE_ADDR set per request.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from verify.accounts.middleware import EXEMPT_VIEWS

from . import factories
from .test_url_roles import ALL_PATTERNS

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
HOME = "203.0.113.10"
ELSEWHERE = "198.51.100.20"


@pytest.fixture
def member(db):
    user = factories.UserFactory(username="lena_editor", roles=["Editor"])
    user.set_password(PASSWORD)
    user.save()
    return user


def log_in(client, username: str, password: str, ip: str = HOME):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def fail_ten_times(client, username: str, ip: str = HOME) -> None:
    for _ in range(10):
        log_in(client, username, "wrong password", ip)


# --- lock-out --------------------------------------------------------------


def test_ten_wrong_passwords_lock_the_username_from_that_address(client, member):
    fail_ten_times(client, member.username)
    response = log_in(client, member.username, PASSWORD)
    assert response.status_code == 429
    assert not logged_in(client)
    assert "Log-in locked" in response.text
    assert "even with the right password" in response.text
    assert "admin can unlock" in response.text


def test_nine_wrong_passwords_do_not_lock(client, member):
    for _ in range(9):
        assert log_in(client, member.username, "wrong password").status_code == 200
    response = log_in(client, member.username, PASSWORD)
    assert response.status_code == 302
    assert logged_in(client)


def test_the_same_user_from_another_address_is_not_locked(client, member):
    fail_ten_times(client, member.username)
    response = log_in(client, member.username, PASSWORD, ip=ELSEWHERE)
    assert response.status_code == 302
    assert logged_in(client)


def test_another_user_from_the_locked_address_is_not_locked(client, member, editor):
    editor.set_password(PASSWORD)
    editor.save()
    fail_ten_times(client, member.username)
    assert log_in(client, editor.username, PASSWORD).status_code == 302


def test_the_lock_lasts_for_the_configured_time(client, member, settings):
    settings.AXES_COOLOFF_TIME = timedelta(minutes=5)
    fail_ten_times(client, member.username)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=4))
    assert log_in(client, member.username, PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=6))
    assert log_in(client, member.username, PASSWORD).status_code == 302
    assert logged_in(client)


def test_an_admin_can_unlock_from_the_people_page(client, member, admin_member):
    fail_ten_times(client, member.username)
    assert log_in(client, member.username, PASSWORD).status_code == 429

    client.force_login(admin_member)
    people = client.get(reverse("articles:people"))
    assert "locked out" in people.text
    unlock_url = reverse("articles:person_unlock", args=[member.pk])
    assert f'action="{unlock_url}"' in people.text
    response = client.post(unlock_url)
    assert response.status_code == 302
    assert "locked out" not in client.get(reverse("articles:people")).text

    client.logout()
    assert log_in(client, member.username, PASSWORD).status_code == 302
    assert logged_in(client)


def test_only_admins_may_unlock(client, member, editor):
    fail_ten_times(client, member.username)
    client.force_login(editor)
    assert client.post(reverse("articles:person_unlock", args=[member.pk])).status_code == 403
    assert AccessAttempt.objects.filter(username=member.username).exists()


# --- two-factor ------------------------------------------------------------


def code(device: TOTPDevice, *, step: int = 0) -> str:
    """The app's current code (step=1: the next one, since a code is accepted once)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=step):06d}"


def skip_throttle() -> None:
    """A wrong code makes django-otp refuse every code for a doubling delay (1 s, 2 s, ...): skip it."""
    TOTPDevice.objects.update(throttling_failure_count=0, throttling_failure_timestamp=None)


@pytest.fixture
def admin_with_password(admin_member):
    admin_member.set_password(PASSWORD)
    admin_member.save()
    return admin_member


def test_an_admin_without_totp_is_sent_to_enrol(client, admin_with_password, require_admin_otp):
    response = log_in(client, admin_with_password.username, PASSWORD)
    assert response.status_code == 302
    response = client.get(response["Location"], REMOTE_ADDR=HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor") + "?next=")
    for name in ("articles:dashboard", "articles:people", "articles:desk", "password_change"):
        assert client.get(reverse(name))["Location"].startswith(reverse("two_factor")), name

    page = client.get(reverse("two_factor"))
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=admin_with_password, confirmed=False)
    assert "otpauth://totp/Verify%3Aada_admin?secret=" in page.text
    assert 'src="data:image/svg+xml;base64,' in page.text

    wrong = client.post(reverse("two_factor"), {"token": "000000" if code(device) != "000000" else "111111"})
    assert wrong.status_code == 200
    assert client.get(reverse("articles:dashboard")).status_code == 302
    skip_throttle()

    response = client.post(reverse("two_factor"), {"token": code(device), "next": "/settings/people/"})
    assert response.status_code == 302
    assert response["Location"] == "/settings/people/"
    assert client.get(reverse("articles:people")).status_code == 200
    admin_with_password.refresh_from_db()
    assert admin_with_password.two_factor_enabled


def test_an_enrolled_admin_gives_a_code_at_each_log_in(client, admin_with_password, require_admin_otp):
    device = TOTPDevice.objects.create(user=admin_with_password, name="app", confirmed=True)
    admin_with_password.two_factor_enabled = True
    admin_with_password.save()
    log_in(client, admin_with_password.username, PASSWORD)
    response = client.get(reverse("articles:dashboard"))
    assert response["Location"].startswith(reverse("two_factor_verify"))
    assert client.post(reverse("two_factor_verify"), {"token": "12345x"}).status_code == 200
    skip_throttle()
    response = client.post(reverse("two_factor_verify"), {"token": code(device), "next": "/"})
    assert response.status_code == 302
    assert client.get(reverse("articles:dashboard")).status_code == 200
    # A code is accepted once: a replay in the next session is refused.
    client.post(reverse("logout"))
    log_in(client, admin_with_password.username, PASSWORD)
    assert client.post(reverse("two_factor_verify"), {"token": code(device)}).status_code == 200
    assert client.get(reverse("articles:dashboard")).status_code == 302


def test_an_unverified_admin_may_still_log_out(client, admin_with_password, require_admin_otp):
    log_in(client, admin_with_password.username, PASSWORD)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert not logged_in(client)


def test_an_htmx_request_of_an_unverified_admin_is_a_client_redirect(
    client, admin_with_password, require_admin_otp
):
    log_in(client, admin_with_password.username, PASSWORD)
    response = client.get(reverse("articles:desk"), headers={"HX-Request": "true"})
    assert response["HX-Redirect"].startswith(reverse("two_factor"))


def test_two_factor_is_optional_for_others_and_then_asked_at_log_in(client, member, require_admin_otp):
    log_in(client, member.username, PASSWORD)
    assert client.get(reverse("articles:dashboard")).status_code == 200
    page = client.get(reverse("two_factor"))
    assert "Optional" in page.text
    device = TOTPDevice.objects.get(user=member)
    assert client.post(reverse("two_factor"), {"token": code(device)}).status_code == 302
    client.post(reverse("logout"))

    log_in(client, member.username, PASSWORD)
    assert client.get(reverse("articles:dashboard"))["Location"].startswith(reverse("two_factor_verify"))
    client.post(reverse("two_factor_verify"), {"token": code(device, step=1)})
    assert client.get(reverse("articles:dashboard")).status_code == 200


def test_moving_to_a_new_phone_needs_a_verified_session(client, member):
    old = TOTPDevice.objects.create(user=member, name="app", confirmed=True)
    member.two_factor_enabled = True
    member.save()
    log_in(client, member.username, PASSWORD)
    # A password alone (an unverified session) cannot enrol another phone.
    page = client.get(reverse("two_factor"), {"renew": "1"})
    assert "Move to a new phone" not in page.text
    assert not TOTPDevice.objects.filter(user=member, confirmed=False).exists()

    client.post(reverse("two_factor_verify"), {"token": code(old)})
    page = client.get(reverse("two_factor"), {"renew": "1"})
    new = TOTPDevice.objects.get(user=member, confirmed=False)
    response = client.post(reverse("two_factor") + "?renew=1", {"token": code(new)})
    assert response.status_code == 302
    assert list(TOTPDevice.objects.filter(user=member)) == [new]
    assert TOTPDevice.objects.get(pk=new.pk).confirmed


def test_an_admin_can_reset_a_lost_authenticator(client, member, admin_member):
    TOTPDevice.objects.create(user=member, name="app", confirmed=True)
    member.two_factor_enabled = True
    member.save()
    client.force_login(admin_member)
    assert "two-factor on" in client.get(reverse("articles:people")).text
    client.post(reverse("articles:person_reset_two_factor", args=[member.pk]))
    member.refresh_from_db()
    assert not member.two_factor_enabled
    assert not TOTPDevice.objects.filter(user=member).exists()


def test_every_page_but_the_exempt_ones_sends_an_unverified_admin_to_enrol(
    client, admin_member, superuser, require_admin_otp
):
    # URLs without arguments are enough: the gate runs before the view loads anything.
    for user in (admin_member, superuser):
        client.force_login(user)
        for name, pattern in ALL_PATTERNS.items():
            if pattern.pattern.converters or name in EXEMPT_VIEWS:
                continue
            response = client.get(reverse(name))
            if name == "logout":
                continue
            assert response.status_code == 302, name
            assert response["Location"].startswith(reverse("two_factor")), name


# --- sessions and passwords ------------------------------------------------


def test_an_idle_session_expires(client, member):
    log_in(client, member.username, PASSWORD)
    assert client.get(reverse("articles:dashboard")).status_code == 200
    # Idle past SESSION_COOKIE_AGE: the stored expiry is in the past.
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get(reverse("articles:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_activity_pushes_the_expiry_forward(client, member, settings):
    settings.VERIFY_SESSION_REFRESH_SECONDS = 0
    log_in(client, member.username, PASSWORD)
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + timedelta(seconds=30))
    assert client.get(reverse("articles:dashboard")).status_code == 200
    expiry = Session.objects.get(session_key=key).expire_date
    assert expiry > timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)


def test_a_request_soon_after_the_last_save_writes_nothing(client, member):
    log_in(client, member.username, PASSWORD)
    key = client.session.session_key
    before = Session.objects.get(session_key=key).expire_date
    client.get(reverse("articles:dashboard"))
    assert Session.objects.get(session_key=key).expire_date == before


@pytest.mark.parametrize("password", ["short1Aa!", "1234567890123", "password123456", "lena_editor_2026"])
def test_weak_passwords_are_refused(password, member):
    with pytest.raises(ValidationError):
        validate_password(password, user=member)


def test_a_long_uncommon_password_is_accepted(member):
    validate_password("plover-tundra-ochre-47", user=member)
