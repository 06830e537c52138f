from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseStopPolling

from ..forms import PasteImportForm
from ..models import ImportJob
from ..permissions import Rule, access
from ..services.imports import start_paste_import
from ..types import AuthedRequest


@access(Rule.WORK)
@require_http_methods(["GET", "POST"])
def import_paste(request: AuthedRequest) -> HttpResponse:
    form = PasteImportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        job = start_paste_import(
            title=form.cleaned_data["title"], text=form.cleaned_data["text"], submitted_by=request.user
        )
        return redirect(job)
    return render(request, "articles/import_paste.html", {"form": form})


@access(Rule.VIEW)
@require_GET
def job_detail(request: AuthedRequest, job_id: int) -> HttpResponse:
    job = get_object_or_404(ImportJob.objects.select_related("article", "created_by"), pk=job_id)
    if request.htmx:
        response = render(request, "articles/job_detail.html#job-progress", {"job": job})
        if job.is_finished:
            # 286 tells htmx to stop polling; the finished partial has no trigger.
            response.status_code = HttpResponseStopPolling.status_code
        return response
    return render(request, "articles/job_detail.html", {"job": job})
