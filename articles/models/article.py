from __future__ import annotations

import hashlib
import re
import unicodedata

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords


def normalise_text(text: str) -> str:
    """NFKC, whitespace collapsed, case-folded: two texts equal here are duplicates."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip().casefold()


def content_hash(text: str) -> str:
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


class Article(models.Model):
    title = models.CharField(max_length=500)
    source_url = models.URLField(max_length=2000, blank=True)
    byline = models.CharField(max_length=500, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    body = models.TextField()
    content_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    history = HistoricalRecords(excluded_fields=["body"])

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("articles:article_detail", args=[self.pk])


class ImportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued, waiting for a worker"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        DUPLICATE = "duplicate", "Duplicate"
        FAILED = "failed", "Failed"

    class Source(models.TextChoices):
        PASTE = "paste", "Pasted text"

    status = models.CharField(max_length=16, choices=Status, default=Status.QUEUED, db_index=True)
    source = models.CharField(max_length=16, choices=Source, default=Source.PASTE)
    progress = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    # The submitted input stays on the job so that a failure never loses it.
    input_title = models.CharField(max_length=500, blank=True)
    input_text = models.TextField(blank=True)
    article = models.ForeignKey(
        Article, on_delete=models.SET_NULL, null=True, blank=True, related_name="import_jobs"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["input_text"])

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="import_job_progress_0_100")
        ]

    def __str__(self) -> str:
        return f"Import #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("articles:job_detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.DUPLICATE, self.Status.FAILED}
