from __future__ import annotations

from celery import shared_task

from .services.imports import run_import_job


@shared_task(name="articles.run_import")
def run_import(job_id: int) -> None:
    run_import_job(job_id=job_id)
