"""Publishing an article's fact sheet, and bulk exports of several articles."""

from __future__ import annotations

from datetime import datetime, time

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseStopPolling

from ..forms import ExportForm, PublishForm
from ..models import Article, ExportJob
from ..permissions import Rule, access
from ..services.exports import ExportRefused, articles_published_between, start_export
from ..services.publishing import PublishRefused, publish, unpublish
from ..types import AuthedRequest


@access(Rule.WORK)
@require_POST
def article_publish(request: AuthedRequest, article_id: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=article_id)
    form = PublishForm(request.POST)
    form.is_valid()
    try:
        version = publish(
            article=article,
            by=request.user,
            partial=form.cleaned_data.get("partial", False),
            correction_note=form.cleaned_data.get("correction_note", ""),
        )
    except PublishRefused as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Fact sheet published as version {version.number}.")
    return redirect(article.get_absolute_url() + "#publishing")


@access(Rule.WORK)
@require_POST
def article_unpublish(request: AuthedRequest, article_id: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=article_id)
    try:
        unpublish(article=article, by=request.user)
    except PublishRefused as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Fact sheet unpublished: its public pages now answer 404.")
    return redirect(article.get_absolute_url() + "#publishing")


def _day_start(day) -> datetime | None:
    return timezone.make_aware(datetime.combine(day, time.min)) if day else None


def _day_end(day) -> datetime | None:
    return timezone.make_aware(datetime.combine(day, time.max)) if day else None


@access(Rule.WORK)
@require_http_methods(["GET", "POST"])
def exports(request: AuthedRequest) -> HttpResponse:
    """Start a bulk export (numbers from the article list, or a date range); list recent exports."""
    initial = {"articles": " ".join(request.GET.getlist("article")), "formats": ["pdf", "md", "csv", "json"]}
    form = ExportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ids = data["articles"] or articles_published_between(
            _day_start(data["published_from"]), _day_end(data["published_to"])
        )
        label = (
            f"{len(ids)} selected article{'s' if len(ids) != 1 else ''}"
            if data["articles"]
            else f"published {data['published_from'] or '…'} to {data['published_to'] or '…'}"
        )
        try:
            job = start_export(by=request.user, article_ids=ids, formats=data["formats"], label=label)
        except ExportRefused as exc:
            form.add_error(None, " ".join(exc.messages))
        else:
            return redirect(job)
    page = Paginator(ExportJob.objects.select_related("created_by"), 20).get_page(request.GET.get("page"))
    return render(request, "articles/exports.html", {"form": form, "page": page})


@access(Rule.WORK)
@require_GET
def export_detail(request: AuthedRequest, export_id: int) -> HttpResponse:
    job = get_object_or_404(ExportJob.objects.select_related("created_by"), pk=export_id)
    context = {"job": job}
    if request.htmx:
        response = render(request, "articles/export_detail.html#export-progress", context)
        if job.status in (ExportJob.Status.DONE, ExportJob.Status.FAILED):
            response.status_code = HttpResponseStopPolling.status_code
        return response
    return render(request, "articles/export_detail.html", context)


@access(Rule.WORK)
@require_GET
def export_download(request: AuthedRequest, export_id: int) -> HttpResponse:
    job = get_object_or_404(ExportJob, pk=export_id)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404("This export has no file (not finished, failed, or expired).")
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=f"factsheets-export-{job.pk}.zip")
