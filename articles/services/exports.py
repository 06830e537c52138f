"""Bulk exports: several articles' fact sheets in several formats, zipped by a worker.

The job's row carries its progress (`done` of `total` articles); the zip goes to
Django's storage and is deleted once `expires_at` has passed (hourly beat task).
"""

from __future__ import annotations

import tempfile
import zipfile
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from verify.accounts.models import User

from ..exporters import EXPORTERS
from ..models import Article, ExportJob
from .factsheets import build_factsheet
from .faults import MAX_ATTEMPTS, POISON, send

MAX_EXPORT_ARTICLES = 1000


class ExportRefused(ValidationError):
    pass


def articles_published_between(start: datetime | None, end: datetime | None) -> list[int]:
    """Ids of live articles whose publication date falls in [start, end], oldest first."""
    articles = Article.objects.filter(is_superseded=False, published_at__isnull=False)
    if start:
        articles = articles.filter(published_at__gte=start)
    if end:
        articles = articles.filter(published_at__lte=end)
    return list(
        articles.order_by("published_at", "pk").values_list("pk", flat=True)[: MAX_EXPORT_ARTICLES + 1]
    )


def start_export(*, by: User, article_ids: list[int], formats: list[str], label: str = "") -> ExportJob:
    """Queue a bulk export; the worker builds it (tasks.run_export)."""
    unknown = sorted(set(formats) - set(EXPORTERS))
    if unknown or not formats:
        raise ExportRefused(f"Choose formats among: {', '.join(EXPORTERS)}.")
    ids = list(dict.fromkeys(article_ids))
    found = set(Article.objects.filter(pk__in=ids).values_list("pk", flat=True))
    ids = [pk for pk in ids if pk in found]
    if not ids:
        raise ExportRefused("No articles match: choose some, or a date range that holds published articles.")
    if len(ids) > MAX_EXPORT_ARTICLES:
        raise ExportRefused(f"At most {MAX_EXPORT_ARTICLES:,} articles per export: narrow the selection.")
    job = ExportJob(
        created_by=by, article_ids=ids, formats=list(dict.fromkeys(formats)), total=len(ids), label=label
    )
    job._history_user = by
    job.save()
    transaction.on_commit(lambda: _dispatch_export(job.pk))
    return job


def _dispatch_export(job_id: int) -> None:
    from ..tasks import run_export

    ExportJob.objects.filter(pk=job_id).update(dispatched_at=timezone.now())
    send(run_export, job_id)


def build_export(*, job_id: int, worker: str = "") -> None:
    """Build the zip: one folder per article, one file per chosen format. Safe to run again.

    Only a queued job is taken, so a second message for a job being built does
    nothing (two workers would write two zips). A job left running by a dead
    worker is put back to queued by the sweeper (services/faults.py), which
    fails it instead once it has been taken MAX_ATTEMPTS times.
    """
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.QUEUED, attempts__lt=MAX_ATTEMPTS)
    if not claimed.update(
        status=ExportJob.Status.RUNNING,
        done=0,
        error="",
        attempts=F("attempts") + 1,
        claimed_at=timezone.now(),
        worker=worker,
    ):
        ExportJob.objects.filter(
            pk=job_id, status=ExportJob.Status.QUEUED, attempts__gte=MAX_ATTEMPTS
        ).update(status=ExportJob.Status.FAILED, error=POISON, finished_at=timezone.now())
        return  # running elsewhere, finished or failed already: a second message does nothing
    job = ExportJob.objects.get(pk=job_id)
    articles = {a.pk: a for a in Article.objects.filter(pk__in=job.article_ids)}
    try:
        with tempfile.TemporaryFile() as tmp:
            with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
                for article_id in job.article_ids:
                    article = articles.get(article_id)
                    if article is not None:
                        sheet = build_factsheet(article=article)
                        folder = f"{article.pk}-{slugify(article.title)[:50] or 'article'}"
                        for fmt in job.formats:
                            filename, _content_type, body = EXPORTERS[fmt].render(sheet)
                            zf.writestr(f"{folder}/{filename}", body)
                    ExportJob.objects.filter(pk=job_id).update(done=F("done") + 1)
            tmp.seek(0)
            job.refresh_from_db()
            job.file.save(f"export-{job.pk}.zip", File(tmp, name=f"export-{job.pk}.zip"), save=False)
    except Exception as exc:
        ExportJob.objects.filter(pk=job_id).update(
            status=ExportJob.Status.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
        )
        raise
    now = timezone.now()
    ExportJob.objects.filter(pk=job_id).update(
        status=ExportJob.Status.DONE,
        file=job.file.name,
        finished_at=now,
        expires_at=now + timedelta(hours=settings.VERIFY_EXPORT_RETENTION_HOURS),
    )


def purge_expired_exports() -> int:
    """Delete the zip files of exports past their expiry; the rows stay, saying so."""
    removed = 0
    for job in ExportJob.objects.filter(expires_at__lt=timezone.now()).exclude(file="").only("id", "file"):
        job.file.delete(save=False)
        ExportJob.objects.filter(pk=job.pk).update(file="")
        removed += 1
    return removed
