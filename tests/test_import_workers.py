"""Imports through real worker processes: each channel, and workers killed mid-job."""

from __future__ import annotations

import csv
import io
import os
import signal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count

from articles.models import Article, ImportItem, ImportJob
from articles.services import imports

from .articles.importing.httpserver import LocalSite
from .conftest import start_worker, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def wait_job(job: ImportJob, worker, timeout: float = 120) -> ImportJob:
    def finished():
        job.refresh_from_db()
        return job.is_finished

    wait_for(finished, timeout=timeout, message=f"{job} to finish\n{worker.log()[-3000:]}")
    return job


def bulk_csv(n: int, *, prefix: str = "Story") -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["title", "text"])
    for i in range(n):
        writer.writerow(
            [f"{prefix} {i}", f"The agency said {i} new homes were finished in district {i} in 2024."]
        )
    return SimpleUploadedFile("rows.csv", out.getvalue().encode())


@pytest.fixture
def site(settings):
    site = LocalSite().start()
    settings.VERIFY_FETCH_ALLOW = site.allow
    yield site
    site.stop()


@pytest.fixture
def site_worker(site):
    worker = start_worker(env={"VERIFY_FETCH_ALLOW": ",".join(site.allow)})
    yield worker
    worker.stop()


def test_a_web_page_is_imported_by_a_worker(site, site_worker, editor):
    job = imports.start_url_import(urls=[site.url("/schools.html")], submitted_by=editor)
    wait_job(job, site_worker)
    item = job.items.get()
    assert item.status == "done", item.error
    assert item.article.site_name == "Fixture Gazette"


def test_a_feed_is_expanded_and_imported_by_a_worker(site, site_worker, editor):
    job = imports.start_feed_import(feed_url=site.url("/news.xml"), submitted_by=editor)
    wait_job(job, site_worker)
    assert job.items.counts()["done"] == 2
    assert "articles.expand_import[" in site_worker.log()


def test_a_bulk_file_is_expanded_and_imported_by_a_worker(celery_worker_process, editor):
    job = imports.start_bulk_import(upload=bulk_csv(20), submitted_by=editor)
    wait_job(job, celery_worker_process)
    assert job.items.counts()["done"] == 20
    assert Article.objects.count() == 20


def assert_each_once(n: int) -> None:
    assert Article.objects.count() == n
    repeated = Article.objects.values("content_hash").annotate(n=Count("id")).filter(n__gt=1)
    assert not repeated.exists()
    assert ImportItem.objects.filter(status="done").count() == n


# Short visibility timeout: messages held by a dead worker come back quickly.
KILL_ENV = {"CELERY_VISIBILITY_TIMEOUT": "5"}


@pytest.mark.slow
def test_killing_a_pool_process_mid_job_loses_and_duplicates_nothing(transactional_db, editor):
    worker = start_worker(concurrency=2, name="victim", env=KILL_ENV)
    try:
        job = imports.start_bulk_import(upload=bulk_csv(500), submitted_by=editor)
        wait_for(
            lambda: ImportItem.objects.filter(job=job, status="done").count() >= 50,
            timeout=120,
            message="the job to get going",
        )
        for pid in worker.pool_pids[:1]:
            os.kill(pid, signal.SIGKILL)
        wait_job(job, worker, timeout=300)
    finally:
        worker.stop()
    assert job.status == ImportJob.Status.DONE
    assert_each_once(500)


@pytest.mark.slow
def test_killing_the_main_worker_process_mid_job_then_restarting_completes_it(transactional_db, editor):
    worker = start_worker(concurrency=2, name="victim", env=KILL_ENV)
    job = imports.start_bulk_import(upload=bulk_csv(500), submitted_by=editor)
    wait_for(
        lambda: ImportItem.objects.filter(job=job, status="done").count() >= 50,
        timeout=120,
        message="the job to get going",
    )
    worker.kill()
    done_at_kill = ImportItem.objects.filter(job=job, status="done").count()
    assert done_at_kill < 500, "the job finished before the kill: make it bigger"
    replacement = start_worker(concurrency=2, name="replacement", env=KILL_ENV)
    try:
        wait_job(job, replacement, timeout=300)
    finally:
        replacement.stop()
    assert job.status == ImportJob.Status.DONE
    assert_each_once(500)


def test_uploaded_files_are_imported_by_a_worker(client, celery_worker_process, editor):
    from django.urls import reverse

    from .articles.importing.test_files import make_docx, make_pdf

    client.force_login(editor)
    files = [
        SimpleUploadedFile("budget.pdf", make_pdf([["The council said the budget rose by 3.5% to £1.2bn."]])),
        SimpleUploadedFile("schools.docx", make_docx(["The ministry said 40 new schools opened in 2025."])),
    ]
    client.post(reverse("articles:import_files"), {"files": files})
    job = wait_job(ImportJob.objects.get(), celery_worker_process)
    assert job.items.counts()["done"] == 2
