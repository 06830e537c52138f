"""Faults with real worker processes: duplicate delivery, a killed export, a broker outage."""

from __future__ import annotations

import io
import json
import os
import socket
import time
import zipfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse

from articles.models import Article, ExportJob, ImportItem, ImportJob, content_hash
from articles.services import imports
from articles.services.exports import start_export
from articles.services.faults import SweepResult, sweep_jobs
from articles.tasks import expand_import, run_export
from verify.run import private_redis, shutdown_redis

from .conftest import SHARED, celery_broker, make_article, start_worker, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

BBC = SHARED / "data" / "news" / "bbc_news_2225.jsonl"
# Workers beat every second; a worker silent for 3 s is taken for dead.
FAST_HEARTBEAT = {"VERIFY_WORKER_HEARTBEAT_INTERVAL": "1", "CELERY_VISIBILITY_TIMEOUT": "5"}


@pytest.fixture
def fast_sweeper(settings):
    settings.VERIFY_WORKER_STALE_AGE = 3


def distinct_bbc_rows(n: int) -> list[dict]:
    """The first n rows whose texts differ (the file holds 137 duplicate texts)."""
    if not BBC.exists():
        pytest.skip(f"{BBC} is absent (the BBC News sample lives beside the repository)")
    rows, seen = [], set()
    with BBC.open(encoding="utf-8") as f:  # read in place, never copied
        for line in f:
            row = json.loads(line)
            digest = content_hash(row["text"])
            if digest not in seen:
                seen.add(digest)
                rows.append({"title": row["title"], "text": row["text"]})
            if len(rows) == n:
                return rows
    pytest.fail(f"{BBC} holds fewer than {n} distinct texts")


def export_files(job: ExportJob) -> list[str]:
    job.refresh_from_db()
    return zipfile.ZipFile(io.BytesIO(job.file.read())).namelist()


def stored_zips() -> list[Path]:
    return list((Path(django_settings.MEDIA_ROOT) / "exports").rglob("*.zip"))


def sweep_until_finished(*jobs, worker, timeout: float = 180) -> SweepResult:
    """What beat does every VERIFY_SWEEP_INTERVAL, done here once a second; returns the totals."""
    total = SweepResult()

    def finished():
        result = sweep_jobs(queued_age=2)
        total.resent += result.resent
        total.requeued += result.requeued
        total.failed += result.failed
        for job in jobs:
            job.refresh_from_db()
        return all(job.is_finished for job in jobs)

    wait_for(finished, timeout=timeout, interval=1, message=f"{jobs} to finish\n{worker.log()[-3000:]}")
    return total


@pytest.mark.slow
def test_two_workers_given_every_message_twice_store_each_article_and_file_once(editor):
    rows = distinct_bbc_rows(1000)
    upload = SimpleUploadedFile("bbc.jsonl", "\n".join(json.dumps(r) for r in rows).encode())
    # No worker yet: every message waits in Redis, so each one really is there twice.
    job = imports.start_bulk_import(upload=upload, submitted_by=editor)  # sends expand_import once
    expand_import.delay(job.pk)  # and again
    imports.expand_job(job_id=job.pk)  # expands here, sending every item once...
    imports._dispatch_items(job.pk)  # ...and twice
    assert ImportItem.objects.filter(job=job).count() == 1000
    workers = [start_worker(concurrency=2, name=f"dup{i}") for i in (1, 2)]
    try:
        wait_for(
            lambda: ImportJob.objects.get(pk=job.pk).is_finished, timeout=600, interval=1, message="import"
        )
        ids = list(Article.objects.order_by("pk").values_list("pk", flat=True)[:40])
        export = start_export(by=editor, article_ids=ids, formats=["md", "json"])  # sent once
        run_export.delay(export.pk)  # and twice
        wait_for(lambda: ExportJob.objects.get(pk=export.pk).is_finished, timeout=120, message="export")
    finally:
        for worker in workers:
            worker.stop()
    assert all(w.log().count("articles.import_item[") > 50 for w in workers), "both workers imported"
    assert Article.objects.count() == 1000
    assert not Article.objects.values("content_hash").annotate(n=Count("id")).filter(n__gt=1).exists()
    assert ImportItem.objects.filter(job=job, status="done").count() == 1000
    names = export_files(export)
    assert len(names) == len(set(names)) == 80
    assert len(stored_zips()) == 1


@pytest.mark.slow
def test_an_export_whose_worker_is_killed_completes_after_a_restart(editor, fast_sweeper):
    ids = [make_article(3).pk for _ in range(40)]
    worker = start_worker(name="exporter", env=FAST_HEARTBEAT)
    # PDFs take a few tenths of a second each: the job is still running when the worker dies.
    job = start_export(by=editor, article_ids=ids, formats=["pdf", "md"])
    wait_for(
        lambda: ExportJob.objects.get(pk=job.pk).done >= 3, timeout=120, message="the export to get going"
    )
    call_command("worker_health", "--hostname", f"exporter-{os.getpid()}@{socket.gethostname()}")
    worker.kill()
    job.refresh_from_db()
    assert job.status == "running" and job.done < job.total, (
        "the export finished before the kill: make it bigger"
    )
    # Same name, so the same Celery hostname: its new boot time tells the sweeper the job's holder is gone.
    replacement = start_worker(name="exporter", env=FAST_HEARTBEAT)
    try:
        swept = sweep_until_finished(job, worker=replacement)
    finally:
        replacement.stop()
    assert job.status == "done", job.error
    assert job.attempts == 2
    assert swept.failed == 0
    names = export_files(job)
    assert len(names) == len(set(names)) == 80
    assert sorted({n.split("-", 1)[0] for n in names}) == sorted(map(str, ids))
    assert len(stored_zips()) == 1


@pytest.mark.slow
def test_a_broker_outage_loses_nothing_and_no_page_waits_for_the_broker(
    client, editor, fast_sweeper, settings
):
    ids = [make_article(2).pk for _ in range(20)]
    rows = distinct_bbc_rows(300)
    client.force_login(editor)
    # Our own Redis, never the suite's or the shared one: the worker and this process both use it.
    with private_redis() as url, celery_broker("redis+socket://" + url.removeprefix("unix://")):
        sock = url.removeprefix("unix://")
        worker = start_worker(concurrency=2, name="outage", env={**FAST_HEARTBEAT, "REDIS_URL": url})
        try:
            upload = SimpleUploadedFile("bbc.jsonl", "\n".join(json.dumps(r) for r in rows).encode())
            running = imports.start_bulk_import(upload=upload, submitted_by=editor)
            wait_for(
                lambda: ImportItem.objects.filter(job=running, status="done").count() >= 20,
                timeout=120,
                message="the import to get going",
            )
            shutdown_redis(sock)  # SHUTDOWN NOSAVE: every message in it is gone
            wait_for(lambda: not os.path.exists(sock), timeout=10, message="Redis to stop")
            down_at = time.monotonic()

            # The acceptance point is a bound, not a speed: a request that hung on the
            # broker would take minutes; CELERY_PUBLISH_TIMEOUT + 2 s is generous for a
            # loaded machine and still far below any hang.
            bound = settings.CELERY_PUBLISH_TIMEOUT + 2
            answers = []

            def timed(method, path, data=None):
                started = time.monotonic()
                response = getattr(client, method)(path, data)
                answers.append((path, time.monotonic() - started))
                return response

            created = timed(
                "post",
                reverse("articles:exports"),
                {"articles": " ".join(map(str, ids)), "formats": ["md", "json"]},
            )
            export = ExportJob.objects.get()
            assert created.url == export.get_absolute_url()
            assert "Queued, waiting for a worker" in timed("get", created.url).text
            timed("get", running.get_absolute_url())
            timed("get", reverse("articles:job_list"))
            timed("get", reverse("articles:exports"))
            slow = [(path, round(took, 2)) for path, took in answers if took >= bound]
            assert not slow, f"answered later than {bound} s during the outage: {slow}"
            export.refresh_from_db()
            assert export.status == "queued"

            time.sleep(max(0.0, 10 - (time.monotonic() - down_at)))
            with private_redis(workdir=os.path.dirname(sock)):  # back, and empty
                swept = sweep_until_finished(running, export, worker=worker)
        finally:
            worker.stop()
    # The export's only message failed to send, and the items queued in the
    # restarted Redis were lost with it: only the sweeper could send them.
    assert swept.resent > 1
    assert swept.failed == 0
    assert running.status == "done"
    assert ImportItem.objects.filter(job=running, status="done").count() == 300
    assert Article.objects.filter(import_items__job=running).distinct().count() == 300
    assert not Article.objects.values("content_hash").annotate(n=Count("id")).filter(n__gt=1).exists()
    assert export.status == "done", export.error
    names = export_files(export)
    assert len(names) == len(set(names)) == 40
    assert len(stored_zips()) == 1
