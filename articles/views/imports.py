from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseStopPolling

from ..forms import BulkImportForm, FeedImportForm, FileImportForm, PasteImportForm, UrlImportForm
from ..models import ImportItem, ImportJob
from ..permissions import Rule, access
from ..services import imports
from ..types import AuthedRequest


def _import_page(request: AuthedRequest, **bound) -> HttpResponse:
    forms = {
        "paste_form": PasteImportForm(),
        "files_form": FileImportForm(),
        "urls_form": UrlImportForm(),
        "feed_form": FeedImportForm(),
        "bulk_form": BulkImportForm(),
        **bound,
    }
    return render(request, "articles/import.html", forms, status=400 if bound else 200)


@access(Rule.WORK)
@require_http_methods(["GET", "POST"])
def import_paste(request: AuthedRequest) -> HttpResponse:
    if request.method == "GET":
        return _import_page(request)
    form = PasteImportForm(request.POST)
    if not form.is_valid():
        return _import_page(request, paste_form=form)
    job = imports.start_paste_import(
        title=form.cleaned_data["title"], text=form.cleaned_data["text"], submitted_by=request.user
    )
    return redirect(job)


@access(Rule.WORK)
@require_POST
def import_files(request: AuthedRequest) -> HttpResponse:
    form = FileImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _import_page(request, files_form=form)
    job = imports.start_file_import(files=form.cleaned_data["files"], submitted_by=request.user)
    return redirect(job)


@access(Rule.WORK)
@require_POST
def import_urls(request: AuthedRequest) -> HttpResponse:
    form = UrlImportForm(request.POST)
    if not form.is_valid():
        return _import_page(request, urls_form=form)
    job = imports.start_url_import(urls=form.cleaned_data["urls"], submitted_by=request.user)
    return redirect(job)


@access(Rule.WORK)
@require_POST
def import_feed(request: AuthedRequest) -> HttpResponse:
    form = FeedImportForm(request.POST)
    if not form.is_valid():
        return _import_page(request, feed_form=form)
    job = imports.start_feed_import(feed_url=form.cleaned_data["feed_url"], submitted_by=request.user)
    return redirect(job)


@access(Rule.WORK)
@require_POST
def import_bulk(request: AuthedRequest) -> HttpResponse:
    form = BulkImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _import_page(request, bulk_form=form)
    job = imports.start_bulk_import(upload=form.cleaned_data["file"], submitted_by=request.user)
    return redirect(job)


@access(Rule.VIEW)
@require_GET
def job_list(request: AuthedRequest) -> HttpResponse:
    statuses = ImportItem.Status
    jobs = (
        ImportJob.objects.select_related("created_by")
        .order_by("-created_at", "-id")
        .annotate(
            total=Count("items"),
            done=Count("items", filter=Q(items__status=statuses.DONE)),
            duplicate=Count("items", filter=Q(items__status=statuses.DUPLICATE)),
            changed=Count("items", filter=Q(items__status=statuses.CHANGED)),
            failed=Count("items", filter=Q(items__status=statuses.FAILED)),
        )
    )
    page = Paginator(jobs, 50).get_page(request.GET.get("page"))
    return render(request, "articles/job_list.html", {"page": page})


PROBLEM_ROWS = 100


def _job_context(job: ImportJob) -> dict:
    counts = job.items.counts()
    if not job.is_finished and counts["total"] and counts["finished"] == counts["total"]:
        imports.finish_job_if_complete(job.pk)  # self-healing if the last item's check was lost
        job.refresh_from_db(fields=["status", "finished_at"])
    problems = list(
        job.items.filter(status__in=[ImportItem.Status.FAILED, ImportItem.Status.CHANGED])
        .select_related("article")
        .order_by("position")[:PROBLEM_ROWS]
    )
    single_article = None
    if job.is_finished and counts["total"] == 1 and counts["done"] + counts["duplicate"] == 1:
        single_article = job.items.select_related("article").get().article
    return {"job": job, "counts": counts, "problems": problems, "single_article": single_article}


@access(Rule.VIEW)
@require_GET
def job_detail(request: AuthedRequest, job_id: int) -> HttpResponse:
    job = get_object_or_404(ImportJob.objects.select_related("created_by"), pk=job_id)
    context = _job_context(job)
    if request.htmx:
        response = render(request, "articles/job_detail.html#job-progress", context)
        if job.is_finished:
            # 286 tells htmx to stop polling; the finished partial has no trigger either.
            response.status_code = HttpResponseStopPolling.status_code
        return response
    items = job.items.select_related("article").order_by("position")
    context["page"] = Paginator(items, 100).get_page(request.GET.get("page"))
    return render(request, "articles/job_detail.html", context)


@access(Rule.WORK)
@require_POST
def job_retry(request: AuthedRequest, job_id: int) -> HttpResponse:
    job = get_object_or_404(ImportJob, pk=job_id)
    count = imports.retry_failed_items(job=job, by=request.user)
    if count:
        messages.success(request, f"{count} failed item{'s' if count != 1 else ''} queued again.")
    else:
        messages.info(request, "No failed item can be retried (files past the retention period are gone).")
    return redirect(job)


@access(Rule.WORK)
@require_POST
def item_new_version(request: AuthedRequest, item_id: int) -> HttpResponse:
    item = get_object_or_404(ImportItem.objects.select_related("job"), pk=item_id)
    try:
        article = imports.import_changed_version(item=item, by=request.user)
    except imports.ImportProblem as exc:
        messages.error(request, str(exc))
        return redirect(item.job)
    messages.success(request, "Imported as a new version; the earlier article is marked superseded.")
    return redirect(article)
