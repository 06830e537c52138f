"""Security defaults of the foundation: CSP, htmx session expiry, settings that fail loudly."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from verify import settings as verify_settings

pytestmark = pytest.mark.django_db


def test_pages_carry_a_csp_without_inline_scripts(client, editor):
    client.force_login(editor)
    response = client.get(reverse("articles:dashboard"))
    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert directives["frame-ancestors"] == "'none'"


def test_no_inline_script_or_hx_on_in_the_base_page(client, editor):
    client.force_login(editor)
    html = client.get(reverse("articles:dashboard")).text
    assert "<script>" not in html
    assert "hx-on" not in html
    assert '"includeIndicatorStyles": false' in html
    assert '"allowEval": false' in html
    assert 'hx-headers=\'{"X-CSRFToken"' in html


def test_an_expired_session_on_an_htmx_request_becomes_a_client_redirect(client):
    response = client.get(
        reverse("articles:job_detail", args=[1]),
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/jobs/1/"},
    )
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith(reverse("login") + "?next=/jobs/1/")


def test_an_expired_session_without_htmx_is_a_normal_login_redirect(client):
    response = client.get(reverse("articles:job_detail", args=[1]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_health_is_public(client):
    response = client.get(reverse("health"))
    assert response.json() == {"status": "ok"}


@pytest.mark.parametrize(
    ("helper", "name", "raw"),
    [
        (verify_settings.env_bool, "X_BOOL", "maybe"),
        (verify_settings.env_int, "X_INT", "ten"),
        (verify_settings.env_float, "X_FLOAT", "fast"),
    ],
)
def test_settings_helpers_fail_loudly_on_bad_values(monkeypatch, helper, name, raw):
    monkeypatch.setenv(name, raw)
    with pytest.raises(ImproperlyConfigured, match=name):
        helper(name, 0)


def test_settings_helpers_read_good_values(monkeypatch):
    monkeypatch.setenv("X_BOOL", "false")
    monkeypatch.setenv("X_INT", "12")
    assert verify_settings.env_bool("X_BOOL", True) is False
    assert verify_settings.env_int("X_INT", 0) == 12
    assert verify_settings.env_bool("X_UNSET", True) is True
