"""Surviving dead workers and a lost broker: safe dispatch, worker heartbeats, the sweeper.

Job state lives in our rows, so a message is only a hint that work is waiting.
A message can be lost (a non-persistent Redis restarted, a publish that failed
while the broker was away) and a worker can die holding a job. The sweeper
puts both right from the rows: it re-sends queued work whose last message is
old, and requeues running work whose worker has stopped beating. Every task
claims its row with a conditional UPDATE, so a message sent twice is harmless.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import close_old_connections
from django.db.models import Q
from django.utils import timezone
from kombu.exceptions import KombuError
from redis.exceptions import RedisError

from ..models import ExportJob, ImportItem, ImportJob, WorkerHeartbeat

log = logging.getLogger(__name__)

# A job or item taken this many times without finishing has crashed its worker
# each time: it is failed as poison instead of being sent again.
MAX_ATTEMPTS = 3
POISON = f"Stopped after crashing a worker {MAX_ATTEMPTS} times; it is not retried automatically."
SWEEP_BATCH = 2000


def send(task, *args) -> bool:
    """Send a task; a broker error is logged, never raised (the row stays queued for the sweeper)."""
    try:
        task.delay(*args)
    except (KombuError, RedisError, OSError):  # the broker is away (eager tasks' own errors still raise)
        log.warning("could not send %s%r: left queued for the sweeper", task.name, args, exc_info=True)
        return False
    return True


# --- worker heartbeats -------------------------------------------------------


def beat(*, hostname: str, booted_at: datetime) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        hostname=hostname, defaults={"booted_at": booted_at, "beat_at": now}
    )


def start_heartbeat(*, hostname: str) -> threading.Event:
    """Beat now, then every VERIFY_WORKER_HEARTBEAT_INTERVAL seconds in a daemon thread of the worker's
    main process (it dies with that process, which is the point). Set the returned event to stop."""
    booted_at = timezone.now()
    stop = threading.Event()
    beat(hostname=hostname, booted_at=booted_at)

    def loop() -> None:
        while not stop.wait(settings.VERIFY_WORKER_HEARTBEAT_INTERVAL):
            try:
                beat(hostname=hostname, booted_at=booted_at)
            except Exception:  # the database may be away for a while: keep trying
                log.warning("worker heartbeat failed", exc_info=True)
            finally:
                close_old_connections()

    threading.Thread(target=loop, name="verify-heartbeat", daemon=True).start()
    return stop


def live_workers(*, now: datetime | None = None) -> dict[str, datetime]:
    """Hostname -> boot time of every worker that beat within VERIFY_WORKER_STALE_AGE."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.VERIFY_WORKER_STALE_AGE)
    return dict(WorkerHeartbeat.objects.filter(beat_at__gte=cutoff).values_list("hostname", "booted_at"))


def worker_is_healthy(hostname: str) -> bool:
    return hostname in live_workers()


def _holder_is_dead(worker: str, claimed_at: datetime | None, live: dict[str, datetime], hard_cutoff) -> bool:
    """A running row's worker is gone: no recent heartbeat, restarted since the claim, or the row has
    been running longer than any task may (the hard time limit killed it and the worker lived on)."""
    if claimed_at is None or claimed_at < hard_cutoff:
        return True
    booted = live.get(worker)
    return booted is None or booted > claimed_at


# --- the sweeper ---------------------------------------------------------------


@dataclass
class SweepResult:
    resent: int = 0
    requeued: int = 0
    failed: int = 0

    def __str__(self) -> str:
        return f"{self.resent} re-sent, {self.requeued} requeued from dead workers, {self.failed} failed as poison"


def sweep_jobs(*, queued_age: float | None = None) -> SweepResult:
    """Re-send stale queued work and requeue work held by dead workers. Safe to run concurrently."""
    from ..tasks import expand_import, import_item, run_export
    from .imports import _finish_item

    now = timezone.now()
    queued_age = settings.VERIFY_SWEEP_QUEUED_AGE if queued_age is None else queued_age
    queued_cutoff = now - timedelta(seconds=queued_age)
    claim_cutoff = now - timedelta(seconds=settings.VERIFY_WORKER_STALE_AGE)
    hard_cutoff = now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    live = live_workers(now=now)
    result = SweepResult()

    # Running rows of dead workers go back to queued (and are sent below), or fail as poison.
    for pk, worker, started, attempts in ImportItem.objects.filter(
        status=ImportItem.Status.RUNNING, started_at__lt=claim_cutoff
    ).values_list("pk", "worker", "started_at", "attempts")[:SWEEP_BATCH]:
        if not _holder_is_dead(worker, started, live, hard_cutoff):
            continue
        if attempts >= MAX_ATTEMPTS:
            if ImportItem.objects.filter(
                pk=pk, status=ImportItem.Status.RUNNING, started_at=started
            ).exists():
                _finish_item(pk, ImportItem.Status.FAILED, error=POISON)
                result.failed += 1
        elif ImportItem.objects.filter(pk=pk, status=ImportItem.Status.RUNNING, started_at=started).update(
            status=ImportItem.Status.QUEUED, dispatched_at=None
        ):
            result.requeued += 1
    for pk, worker, claimed, attempts in ExportJob.objects.filter(
        status=ExportJob.Status.RUNNING, claimed_at__lt=claim_cutoff
    ).values_list("pk", "worker", "claimed_at", "attempts")[:SWEEP_BATCH]:
        if not _holder_is_dead(worker, claimed, live, hard_cutoff):
            continue
        still = ExportJob.objects.filter(pk=pk, status=ExportJob.Status.RUNNING, claimed_at=claimed)
        if attempts >= MAX_ATTEMPTS:
            result.failed += still.update(status=ExportJob.Status.FAILED, error=POISON, finished_at=now)
        else:
            result.requeued += still.update(status=ExportJob.Status.QUEUED, dispatched_at=None)

    # Queued rows whose last message is old (or was never sent): send again. The
    # conditional UPDATE on dispatched_at makes two sweepers send each row once.
    stale = Q(dispatched_at__isnull=True) | Q(dispatched_at__lt=queued_cutoff)
    waiting = list(
        ImportItem.objects.filter(stale, status=ImportItem.Status.QUEUED).values_list(
            "pk", "dispatched_at", "job_id"
        )[:SWEEP_BATCH]
    )
    # A job whose items are being taken has its messages flowing, its queued
    # items merely waiting behind them: re-sending those would only pile copies
    # onto a long queue.
    moving = set(
        ImportItem.objects.filter(job_id__in={job_id for _, _, job_id in waiting})
        .filter(Q(started_at__gte=queued_cutoff) | Q(finished_at__gte=queued_cutoff))
        .values_list("job_id", flat=True)
        .distinct()
    )
    for pk, sent, job_id in waiting:
        if job_id not in moving and _mark_sent(
            ImportItem.objects.filter(pk=pk, status=ImportItem.Status.QUEUED), sent, now
        ):
            result.resent += send(import_item, pk)
    # Feed and bulk jobs not yet expanded into items (a job with items is moved on by them).
    for pk, sent in (
        ImportJob.objects.filter(stale, status__in=[ImportJob.Status.QUEUED, ImportJob.Status.RUNNING])
        .filter(source__in=[ImportJob.Source.FEED, ImportJob.Source.BULK], items__isnull=True)
        .filter(Q(status=ImportJob.Status.QUEUED) | Q(started_at__lt=claim_cutoff))
        .values_list("pk", "dispatched_at")[:SWEEP_BATCH]
    ):
        if _mark_sent(ImportJob.objects.filter(pk=pk, items__isnull=True), sent, now):
            result.resent += send(expand_import, pk)
    for pk, sent in ExportJob.objects.filter(stale, status=ExportJob.Status.QUEUED).values_list(
        "pk", "dispatched_at"
    )[:SWEEP_BATCH]:
        if _mark_sent(ExportJob.objects.filter(pk=pk, status=ExportJob.Status.QUEUED), sent, now):
            result.resent += send(run_export, pk)
    # Rows of workers gone for a day (scaled down, renamed) are of no further use.
    WorkerHeartbeat.objects.filter(beat_at__lt=now - timedelta(days=1)).delete()
    if result.resent or result.requeued or result.failed:
        log.info("sweeper: %s", result)
    return result


def _mark_sent(rows, previous: datetime | None, now: datetime) -> bool:
    rows = (
        rows.filter(dispatched_at__isnull=True) if previous is None else rows.filter(dispatched_at=previous)
    )
    return rows.update(dispatched_at=now) == 1
