"""Import workflows: from submitted input to a stored, extracted Article."""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from verify.accounts.models import User

from ..models import Article, ImportJob, content_hash
from .claims import store_extracted_claims

log = logging.getLogger(__name__)


def start_paste_import(*, title: str, text: str, submitted_by: User) -> ImportJob:
    """Record a pasted article as a queued job and send it to a worker after commit."""
    from ..tasks import run_import

    with transaction.atomic():
        job = ImportJob(
            source=ImportJob.Source.PASTE,
            input_title=title.strip(),
            input_text=text,
            created_by=submitted_by,
        )
        job._history_user = submitted_by
        job.save()
        run_import.delay_on_commit(job.pk)
    return job


def claim_job(job_id: int) -> bool:
    """Take a queued job for this worker; False when another run already has it.

    A conditional UPDATE is the claim: only one delivery of the same message
    can move the row from queued to running.
    """
    changed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, started_at=timezone.now(), progress=10
    )
    return changed == 1


def run_import_job(*, job_id: int) -> None:
    """Store the job's article and its claims; safe to run twice."""
    if not claim_job(job_id):
        log.info("import job %s already taken, skipping", job_id)
        return
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    user = job.created_by
    try:
        with transaction.atomic():
            digest = content_hash(job.input_text)
            existing = Article.objects.filter(content_hash=digest).first()
            if existing is not None:
                _finish(
                    job,
                    ImportJob.Status.DUPLICATE,
                    article=existing,
                    error=f"The same text was already imported as “{existing.title}”.",
                )
                return
            article = Article(
                title=job.input_title or _title_from(job.input_text),
                body=job.input_text,
                content_hash=digest,
                created_by=user,
            )
            article._history_user = user
            article.save()
            ImportJob.objects.filter(pk=job.pk).update(progress=50)
            store_extracted_claims(article=article, by=user)
            _finish(job, ImportJob.Status.DONE, article=article)
    except IntegrityError:
        # Lost a race with another job importing the same text at the same time.
        existing = Article.objects.filter(content_hash=content_hash(job.input_text)).first()
        _finish(
            job,
            ImportJob.Status.DUPLICATE,
            article=existing,
            error="The same text was imported by another job at the same time.",
        )
    except Exception as exc:
        log.exception("import job %s failed", job_id)
        _finish(job, ImportJob.Status.FAILED, error=f"Import failed: {exc.__class__.__name__}: {exc}")
        raise


def _finish(job: ImportJob, status: str, *, article: Article | None = None, error: str = "") -> None:
    job.status = status
    job.article = article
    job.error = error
    job.progress = 100
    job.finished_at = timezone.now()
    job._history_user = job.created_by
    job.save(update_fields=["status", "article", "error", "progress", "finished_at"])


def _title_from(text: str) -> str:
    first = text.strip().split("\n", 1)[0]
    return first[:120] or "Untitled article"
