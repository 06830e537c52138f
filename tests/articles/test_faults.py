"""Fault tolerance in one process: dispatch with the broker away, the sweeper, heartbeats, poison caps."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from articles.models import ExportJob, ImportItem, ImportJob, WorkerHeartbeat
from articles.services import imports
from articles.services.exports import build_export, start_export
from articles.services.faults import MAX_ATTEMPTS, sweep_jobs
from verify.celery import app as celery_app

from ..conftest import celery_broker, make_article

pytestmark = pytest.mark.django_db

# Older than VERIFY_WORKER_STALE_AGE (60 s), younger than the hard time limit (300 s).
LONG_AGO = timedelta(minutes=2)


@pytest.fixture
def broker_away(tmp_path):
    """Tasks are really sent (not eager) to a broker that is not there."""
    celery_app.conf.task_always_eager = False
    with celery_broker(f"redis+socket://{tmp_path}/no-redis.sock"):
        yield


def test_jobs_created_while_the_broker_is_away_stay_queued(
    client, editor, broker_away, caplog, django_capture_on_commit_callbacks
):
    article = make_article(1)
    client.force_login(editor)
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        export_page = client.post(
            reverse("articles:exports"), {"articles": str(article.pk), "formats": ["md"]}
        )
        import_page = client.post(
            reverse("articles:import_paste"), {"title": "T", "text": "The mayor said so."}
        )
    export, job = ExportJob.objects.get(), ImportJob.objects.get()
    assert export_page.url == export.get_absolute_url()
    assert import_page.url == job.get_absolute_url()
    assert export.status == job.status == "queued"
    assert job.items.get().status == "queued"
    assert "left queued for the sweeper" in caplog.text
    assert "Queued, waiting for a worker" in client.get(export.get_absolute_url()).text
    assert "Queued, waiting for a worker" in client.get(job.get_absolute_url()).text


def queued_export(editor, django_capture_on_commit_callbacks, **fields) -> ExportJob:
    with django_capture_on_commit_callbacks(execute=False):  # as if the message was lost
        job = start_export(by=editor, article_ids=[make_article(1).pk], formats=["md"])
    ExportJob.objects.filter(pk=job.pk).update(**fields)
    return job


def test_the_sweeper_resends_a_queued_export_once(editor, django_capture_on_commit_callbacks):
    job = queued_export(editor, django_capture_on_commit_callbacks)
    assert sweep_jobs(queued_age=60).resent == 1  # never sent
    job.refresh_from_db()
    assert job.status == "done"  # eager: the re-sent task ran
    assert sweep_jobs(queued_age=0).resent == 0


def test_the_sweeper_leaves_a_recently_sent_export_alone(editor, django_capture_on_commit_callbacks):
    job = queued_export(editor, django_capture_on_commit_callbacks, dispatched_at=timezone.now())
    assert sweep_jobs(queued_age=60).resent == 0
    job.refresh_from_db()
    assert job.status == "queued"


def running(job: ExportJob, *, worker: str = "celery@gone", attempts: int = 1) -> None:
    ExportJob.objects.filter(pk=job.pk).update(
        status="running",
        worker=worker,
        claimed_at=timezone.now() - LONG_AGO,
        attempts=attempts,
        dispatched_at=None,
    )


def test_the_sweeper_requeues_an_export_whose_worker_died(editor, django_capture_on_commit_callbacks):
    job = queued_export(editor, django_capture_on_commit_callbacks)
    running(job)
    result = sweep_jobs(queued_age=60)
    assert (result.requeued, result.resent) == (1, 1)
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("done", 2)


def test_the_sweeper_leaves_an_export_of_a_live_worker_running(editor, django_capture_on_commit_callbacks):
    job = queued_export(editor, django_capture_on_commit_callbacks)
    running(job, worker="celery@alive")
    WorkerHeartbeat.objects.create(
        hostname="celery@alive", booted_at=timezone.now() - 2 * LONG_AGO, beat_at=timezone.now()
    )
    assert sweep_jobs(queued_age=60).requeued == 0
    job.refresh_from_db()
    assert job.status == "running"


def test_a_worker_restarted_since_the_claim_counts_as_dead(editor, django_capture_on_commit_callbacks):
    job = queued_export(editor, django_capture_on_commit_callbacks)
    running(job, worker="celery@restarted")
    WorkerHeartbeat.objects.create(
        hostname="celery@restarted", booted_at=timezone.now(), beat_at=timezone.now()
    )
    assert sweep_jobs(queued_age=60).requeued == 1


def test_an_export_that_killed_its_worker_too_often_fails_as_poison(
    editor, django_capture_on_commit_callbacks
):
    job = queued_export(editor, django_capture_on_commit_callbacks)
    running(job, attempts=MAX_ATTEMPTS)
    assert sweep_jobs(queued_age=60).failed == 1
    job.refresh_from_db()
    assert job.status == "failed"
    assert f"crashing a worker {MAX_ATTEMPTS} times" in job.error


def test_a_second_message_for_a_running_export_does_nothing(editor, django_capture_on_commit_callbacks):
    job = queued_export(editor, django_capture_on_commit_callbacks)
    ExportJob.objects.filter(pk=job.pk).update(status="running", worker="celery@busy", attempts=1)
    build_export(job_id=job.pk, worker="celery@second")
    job.refresh_from_db()
    assert (job.status, job.worker, job.attempts, job.file.name) == ("running", "celery@busy", 1, "")


def paste_item(editor, django_capture_on_commit_callbacks) -> ImportItem:
    with django_capture_on_commit_callbacks(execute=False):
        job = imports.start_paste_import(
            title="T", text="The minister said 3 schools closed.", submitted_by=editor
        )
    return job.items.get()


def test_the_sweeper_resends_a_queued_item_and_requeues_one_of_a_dead_worker(
    editor, django_capture_on_commit_callbacks
):
    lost = paste_item(editor, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=False):
        job = imports.start_paste_import(
            title="U", text="The mayor said 12 bridges were repaired.", submitted_by=editor
        )
    held = job.items.get()
    ImportItem.objects.filter(pk=held.pk).update(
        status="running", worker="celery@gone", started_at=timezone.now() - LONG_AGO, attempts=1
    )
    result = sweep_jobs(queued_age=60)
    assert (result.resent, result.requeued) == (2, 1)
    assert set(ImportItem.objects.values_list("status", flat=True)) == {"done"}
    assert lost.pk != held.pk


def test_an_item_that_killed_its_worker_too_often_fails_as_poison(editor, django_capture_on_commit_callbacks):
    item = paste_item(editor, django_capture_on_commit_callbacks)
    ImportItem.objects.filter(pk=item.pk).update(
        status="running", worker="celery@gone", started_at=timezone.now() - LONG_AGO, attempts=MAX_ATTEMPTS
    )
    assert sweep_jobs(queued_age=60).failed == 1
    item.refresh_from_db()
    assert item.status == "failed"
    assert "crashing a worker" in item.error


def test_the_sweep_command_reports_what_it_did(editor, django_capture_on_commit_callbacks, capsys):
    queued_export(editor, django_capture_on_commit_callbacks)
    call_command("sweep_jobs", "--queued-age", "0")
    assert "1 re-sent" in capsys.readouterr().out


def test_worker_health_reads_the_heartbeat(settings):
    with pytest.raises(CommandError, match="no recent heartbeat"):
        call_command("worker_health", "--hostname", "celery@box")
    WorkerHeartbeat.objects.create(hostname="celery@box", booted_at=timezone.now(), beat_at=timezone.now())
    call_command("worker_health", "--hostname", "celery@box")
    WorkerHeartbeat.objects.update(
        beat_at=timezone.now() - timedelta(seconds=settings.VERIFY_WORKER_STALE_AGE + 1)
    )
    with pytest.raises(CommandError):
        call_command("worker_health", "--hostname", "celery@box")


def test_an_export_running_past_the_hard_time_limit_is_requeued_even_with_a_live_worker(
    editor, settings, django_capture_on_commit_callbacks
):
    job = queued_export(editor, django_capture_on_commit_callbacks)
    running(job, worker="celery@alive")
    ExportJob.objects.filter(pk=job.pk).update(
        claimed_at=timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 120)
    )
    WorkerHeartbeat.objects.create(
        hostname="celery@alive", booted_at=timezone.now() - LONG_AGO * 10, beat_at=timezone.now()
    )
    assert sweep_jobs(queued_age=60).requeued == 1


def test_the_sweeper_does_not_resend_items_of_a_job_that_is_moving(
    editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        job = imports.start_url_import(
            urls=["https://example.org/a", "https://example.org/b"], submitted_by=editor
        )
    first, second = job.items.all()
    ImportItem.objects.filter(pk=first.pk).update(status="done", finished_at=timezone.now())
    ImportItem.objects.filter(pk=second.pk).update(dispatched_at=timezone.now() - LONG_AGO)
    assert sweep_jobs(queued_age=60).resent == 0  # its message is behind others of the job
    ImportItem.objects.filter(pk=first.pk).update(finished_at=timezone.now() - LONG_AGO)
    celery_app.conf.task_always_eager = False  # count the send, do not fetch the URL
    with celery_broker("memory://"):
        assert sweep_jobs(queued_age=60).resent == 1


def test_the_sweeper_forgets_workers_gone_for_a_day():
    WorkerHeartbeat.objects.create(
        hostname="celery@old", booted_at=timezone.now(), beat_at=timezone.now() - timedelta(days=2)
    )
    WorkerHeartbeat.objects.create(hostname="celery@new", booted_at=timezone.now(), beat_at=timezone.now())
    sweep_jobs()
    assert list(WorkerHeartbeat.objects.values_list("hostname", flat=True)) == ["celery@new"]
