"""Celery tasks: take ids, call a service. Safe to run twice (see the services)."""

from __future__ import annotations

from celery import shared_task

from .services.imports import TransientImportProblem, expand_job, process_item, purge_old_uploads

# acks_late + reject_on_worker_lost: a message is acknowledged only once the
# task has finished, so a worker killed mid-task gives the item to another.
# That is safe because both services claim their row with a conditional
# UPDATE and store each article under a unique constraint.
TASK_OPTIONS = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (TransientImportProblem,),
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 4,
}


@shared_task(bind=True, name="articles.import_item", **TASK_OPTIONS)
def import_item(self, item_id: int) -> None:
    process_item(item_id=item_id, final_attempt=self.request.retries >= self.max_retries)


@shared_task(bind=True, name="articles.expand_import", **TASK_OPTIONS)
def expand_import(self, job_id: int) -> None:
    expand_job(job_id=job_id)


@shared_task(name="articles.purge_old_uploads")
def purge_uploads() -> int:
    from .services.exports import purge_expired_exports

    return purge_old_uploads() + purge_expired_exports()


@shared_task(name="articles.run_export", acks_late=True, reject_on_worker_lost=True)
def run_export(job_id: int) -> None:
    from .services.exports import build_export

    build_export(job_id=job_id)
