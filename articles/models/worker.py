from __future__ import annotations

from django.db import models


class WorkerHeartbeat(models.Model):
    """A Celery worker's sign of life, written every few seconds by its main process.

    `booted_at` tells a restarted worker (same hostname) from the one that took a
    job before it died: a job claimed before the current boot has no live worker.
    """

    hostname = models.CharField(max_length=200, unique=True)
    booted_at = models.DateTimeField()
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.hostname
