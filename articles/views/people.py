from __future__ import annotations

from django.contrib import messages
from django.db.models import Prefetch, ProtectedError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from verify.accounts.models import User

from ..forms import MemberForm, VerdictForm
from ..models import Verdict
from ..permissions import Rule, access
from ..services.people import (
    RoleChangeRefused,
    create_member,
    locked_out_usernames,
    reset_two_factor,
    unlock_member,
    update_member,
)
from ..types import AuthedRequest


@access(Rule.ADMIN)
@require_http_methods(["GET", "POST"])
def people(request: AuthedRequest) -> HttpResponse:
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = create_member(
            request=request,
            by=request.user,
            **{k: form.cleaned_data[k] for k in ("username", "email", "first_name", "last_name", "roles")},
        )
        messages.success(request, f"Account {user.username} created; a link to set the password was emailed.")
        return redirect("articles:people")
    authenticators = Prefetch(
        "totpdevice_set", queryset=TOTPDevice.objects.filter(confirmed=True), to_attr="authenticators"
    )
    members = User.objects.prefetch_related("groups", authenticators).order_by("username")
    context = {"members": members, "form": form, "locked": locked_out_usernames()}
    return render(request, "articles/people.html", context)


@access(Rule.ADMIN)
@require_POST
def person_unlock(request: AuthedRequest, user_id: int) -> HttpResponse:
    member = get_object_or_404(User, pk=user_id)
    unlock_member(user=member, by=request.user)
    messages.success(request, f"{member.username} can log in again from every address.")
    return redirect("articles:people")


@access(Rule.ADMIN)
@require_POST
def person_reset_two_factor(request: AuthedRequest, user_id: int) -> HttpResponse:
    member = get_object_or_404(User, pk=user_id)
    reset_two_factor(user=member, by=request.user)
    messages.success(
        request, f"{member.username}'s authenticator was removed; they set up a new one at their next log-in."
    )
    return redirect("articles:people")


@access(Rule.ADMIN)
@require_http_methods(["GET", "POST"])
def person_edit(request: AuthedRequest, user_id: int) -> HttpResponse:
    member = get_object_or_404(User, pk=user_id)
    initial = {
        "username": member.username,
        "email": member.email,
        "first_name": member.first_name,
        "last_name": member.last_name,
        "is_active": member.is_active,
        "roles": list(member.groups.values_list("name", flat=True)),
    }
    form = MemberForm(request.POST or None, instance=member, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            update_member(
                user=member,
                by=request.user,
                **{
                    k: form.cleaned_data[k]
                    for k in ("email", "first_name", "last_name", "roles", "is_active")
                },
            )
        except RoleChangeRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{member.username} saved.")
            return redirect("articles:people")
    return render(request, "articles/person_edit.html", {"member": member, "form": form})


@access(Rule.ADMIN)
@require_http_methods(["GET", "POST"])
def verdicts(request: AuthedRequest) -> HttpResponse:
    form = VerdictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.instance._history_user = request.user
        form.save()
        messages.success(request, "Verdict added.")
        return redirect("articles:verdicts")
    return render(request, "articles/verdicts.html", {"verdicts": Verdict.objects.all(), "form": form})


@access(Rule.ADMIN)
@require_http_methods(["GET", "POST"])
def verdict_edit(request: AuthedRequest, verdict_id: int) -> HttpResponse:
    verdict = get_object_or_404(Verdict, pk=verdict_id)
    form = VerdictForm(request.POST or None, instance=verdict)
    if request.method == "POST" and form.is_valid():
        form.instance._history_user = request.user
        form.save()
        messages.success(request, f"Verdict “{verdict.name}” saved.")
        return redirect("articles:verdicts")
    return render(request, "articles/verdict_edit.html", {"verdict": verdict, "form": form})


@access(Rule.ADMIN)
@require_POST
def verdict_delete(request: AuthedRequest, verdict_id: int) -> HttpResponse:
    verdict = get_object_or_404(Verdict, pk=verdict_id)
    try:
        verdict._history_user = request.user
        verdict.delete()
    except ProtectedError:
        messages.error(
            request, f"“{verdict.name}” is used by reviews and cannot be deleted: archive it instead."
        )
    else:
        messages.success(request, f"Verdict “{verdict.name}” deleted.")
    return redirect("articles:verdicts")
