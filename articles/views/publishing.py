"""Publishing an article's fact sheet, and bulk exports of several articles."""

from __future__ import annotations

from datetime import datetime, time

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseStopPolling

from ..exporters import EXPORTERS, render_sheet_html
from ..forms import ExportForm, PublishForm
from ..models import Article, ExportJob, NewsroomSettings, Publication, PublicationVersion
from ..permissions import Rule, access
from ..services.exports import ExportRefused, articles_published_between, start_export
from ..services.publishing import PublishRefused, publish, unpublish, version_sheet
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


def _published_version(slug: str, number: int | None) -> tuple[PublicationVersion, PublicationVersion]:
    """(the version asked for, the latest) of a published sheet, or 404."""
    publication = get_object_or_404(Publication, slug=slug, is_published=True)
    versions = list(publication.versions.order_by("-number").only("id", "number", "publication_id"))
    if not versions:
        raise Http404("No version.")
    latest = versions[0]
    wanted = latest if number is None else next((v for v in versions if v.number == number), None)
    if wanted is None:
        raise Http404("No such version.")
    return PublicationVersion.objects.select_related("publication").get(pk=wanted.pk), latest


def _public_sheet(version: PublicationVersion):
    return version_sheet(version).for_public(show_reviewer_names=NewsroomSettings.load().show_reviewer_names)


@access(Rule.PUBLIC)
@require_GET
def factsheet_public(request: HttpRequest, slug: str, number: int | None = None) -> HttpResponse:
    """A published fact sheet, for anyone: the latest version, or version `number` with a pointer to the latest."""
    version, latest = _published_version(slug, number)
    newer = reverse("articles:factsheet_public", args=[slug]) if version.number != latest.number else ""
    html = render_sheet_html(_public_sheet(version), for_print=False, newer_version_url=newer)
    return HttpResponse(html)


@access(Rule.PUBLIC)
@require_GET
def factsheet_public_download(request: HttpRequest, slug: str, number: int, fmt: str) -> HttpResponse:
    exporter = EXPORTERS.get(fmt)
    if exporter is None:
        raise Http404("Unknown format.")
    version, _latest = _published_version(slug, number)
    filename, content_type, body = exporter.render(_public_sheet(version))
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
