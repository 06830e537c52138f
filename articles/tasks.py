"""Celery tasks: take ids, call a service. Safe to run twice (see the services)."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from .services.imports import TransientImportProblem, expand_job, process_item, purge_old_uploads

# acks_late + reject_on_worker_lost: a message is acknowledged only once the
# task has finished, so a worker killed mid-task gives the job to another.
# That is safe because the services claim their row with a conditional UPDATE
# and store each article under a unique constraint. The poison cap is the
# row's `attempts` (MAX_ATTEMPTS in services/faults.py): a job that keeps
# killing its worker, or keeps hitting the hard time limit, is failed, not
# redelivered for ever.
JOB_OPTIONS = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "soft_time_limit": settings.CELERY_TASK_SOFT_TIME_LIMIT,
    "time_limit": settings.CELERY_TASK_TIME_LIMIT,
}
TASK_OPTIONS = {
    **JOB_OPTIONS,
    "autoretry_for": (TransientImportProblem,),
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 4,
}
# Periodic tasks own no row to count attempts on: a worker lost during one
# acknowledges the message (reject_on_worker_lost=False), which caps a poison
# run at one, and the next beat tick runs it again.
PERIODIC_OPTIONS = {
    "acks_late": True,
    "reject_on_worker_lost": False,
    "soft_time_limit": 240,
    "time_limit": 300,
}


@shared_task(bind=True, name="articles.import_item", **TASK_OPTIONS)
def import_item(self, item_id: int) -> None:
    process_item(
        item_id=item_id,
        final_attempt=self.request.retries >= self.max_retries,
        worker=self.request.hostname or "",
    )


@shared_task(bind=True, name="articles.expand_import", **TASK_OPTIONS)
def expand_import(self, job_id: int) -> None:
    expand_job(job_id=job_id)


@shared_task(name="articles.purge_old_uploads", **PERIODIC_OPTIONS)
def purge_uploads() -> int:
    from .services.exports import purge_expired_exports

    return purge_old_uploads() + purge_expired_exports()


@shared_task(bind=True, name="articles.run_export", **JOB_OPTIONS)
def run_export(self, job_id: int) -> None:
    from .services.exports import build_export

    build_export(job_id=job_id, worker=self.request.hostname or "")


@shared_task(name="articles.sweep_jobs", **PERIODIC_OPTIONS)
def sweep_jobs() -> str:
    from .services.faults import sweep_jobs as sweep

    return str(sweep())
