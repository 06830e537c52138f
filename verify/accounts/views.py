from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from articles.permissions import Rule, access
from articles.types import AuthedRequest

from .twofactor import (
    admin_must_enrol,
    confirm_enrolment,
    confirmed_device,
    pending_device,
    qr_data_uri,
    verify_session,
)


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Code from your authenticator app",
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _next_url(request: AuthedRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


@access(Rule.LOGGED_IN)
@require_http_methods(["GET", "POST"])
def two_factor(request: AuthedRequest) -> HttpResponse:
    """Enrol an authenticator app: required for admins, optional for others."""
    # Replacing an authenticator needs a session verified with the old one: a
    # password alone must never be enough to enrol an attacker's phone.
    renewing = bool(request.GET.get("renew")) and request.user.is_verified()
    if confirmed_device(request.user) and not renewing:
        return render(
            request,
            "accounts/two_factor.html",
            {"enrolled": True, "verified": request.user.is_verified(), "next": _next_url(request)},
        )
    device = pending_device(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if confirm_enrolment(request=request, device=device, token=form.cleaned_data["token"]):
            messages.success(request, "Two-factor authentication is on: log-ins now ask for a code.")
            return redirect(_next_url(request))
        form.add_error("token", "That code is not right: check the time on your phone and try the new code.")
    context = {
        "enrolled": False,
        "renewing": renewing,
        "form": form,
        "otpauth_uri": device.config_url,
        "qr": qr_data_uri(device.config_url),
        "required": admin_must_enrol(request.user),
        "next": _next_url(request),
    }
    return render(request, "accounts/two_factor.html", context)


@access(Rule.LOGGED_IN)
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: AuthedRequest) -> HttpResponse:
    """Ask for the current code after a password log-in."""
    if confirmed_device(request.user) is None:
        return redirect("two_factor")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if verify_session(request=request, token=form.cleaned_data["token"]):
            return redirect(_next_url(request))
        form.add_error("token", "That code is not right (or was already used): wait for the next one.")
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request)})
