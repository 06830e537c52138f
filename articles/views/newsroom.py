from __future__ import annotations

from django.contrib import messages
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from ..forms import NewsroomSettingsForm
from ..models import NewsroomSettings
from ..permissions import Rule, access
from ..types import AuthedRequest


@access(Rule.ADMIN)
@require_http_methods(["GET", "POST"])
def newsroom_settings(request: AuthedRequest) -> HttpResponse:
    instance = NewsroomSettings.load()
    form = NewsroomSettingsForm(request.POST or None, request.FILES or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.instance._history_user = request.user
        form.save()
        messages.success(request, "Newsroom settings saved.")
        return redirect("articles:newsroom_settings")
    return render(request, "articles/newsroom_settings.html", {"form": form})


@never_cache
@access(Rule.PUBLIC)
@require_GET
def health(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
