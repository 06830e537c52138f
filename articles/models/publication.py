from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .article import Article


class Publication(models.Model):
    """An article's public fact sheet: a stable slug and its numbered, frozen versions."""

    article = models.OneToOneField(Article, on_delete=models.PROTECT, related_name="publication")
    slug = models.SlugField(max_length=80, unique=True)
    is_published = models.BooleanField(default=True, help_text="Unpublished: the public pages answer 404.")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    def __str__(self) -> str:
        return self.slug

    def get_absolute_url(self) -> str:
        return reverse("articles:factsheet_public", args=[self.slug])


class PublicationVersion(models.Model):
    """One published version: the fact sheet as it was, never changed afterwards."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField(help_text="The FactSheet data (services/factsheets.py) at publication.")
    partial = models.BooleanField(default=False, help_text="Published before every claim was checked.")
    correction_note = models.TextField(blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField()

    history = HistoricalRecords(excluded_fields=["snapshot"])

    class Meta:
        ordering = ["publication_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["publication", "number"], name="publication_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.publication.slug} v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("articles:factsheet_public_version", args=[self.publication.slug, self.number])


class ExportJob(models.Model):
    """A bulk export of several articles' fact sheets in several formats, built by a worker into a zip."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued, waiting for a worker"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    article_ids = models.JSONField(default=list)
    formats = models.JSONField(default=list)
    label = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=16, choices=Status, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="exports/%Y/%m/", blank=True, max_length=300)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    # Fault tolerance (articles/services/sweeper.py): when the last message was
    # sent, which worker took the job and when, and how many times it was taken
    # without finishing (a job that keeps killing its worker is failed as poison).
    dispatched_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "dispatched_at"], name="export_job_status_dispatched")]

    def __str__(self) -> str:
        return f"Export #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    def get_absolute_url(self) -> str:
        return reverse("articles:export_detail", args=[self.pk])
