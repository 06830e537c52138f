from __future__ import annotations

import hashlib
import re
import unicodedata

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords


def normalise_text(text: str) -> str:
    """NFKC, whitespace collapsed, case-folded: two texts equal here are duplicates."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip().casefold()


def content_hash(text: str) -> str:
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


COUNT_FIELDS = (
    "n_candidate",
    "n_new",
    "n_discarded",
    "n_assigned",
    "n_in_review",
    "n_returned",
    "n_submitted",
    "n_not_checkable",
    "n_approved",
)


class Article(models.Model):
    class Progress(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        ALL_SUBMITTED = "all_submitted", "All submitted"
        ALL_APPROVED = "all_approved", "All approved"

    title = models.CharField(max_length=500)
    source_url = models.URLField(max_length=2000, blank=True)
    canonical_url = models.URLField(
        max_length=2000, blank=True, help_text="The page's own canonical URL: the key for URL dedupe."
    )
    site_name = models.CharField(max_length=300, blank=True)
    byline = models.CharField(max_length=500, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(max_length=16, blank=True)
    extraction_notice = models.TextField(
        blank=True, help_text="Shown on the article page, e.g. when claims were not extracted."
    )
    extracted_at = models.DateTimeField(
        null=True, blank=True, help_text="When claims were last extracted from the body."
    )
    body = models.TextField(help_text="Clean article text as published; claim offsets index into it.")
    sanitized_html = models.TextField(blank=True, help_text="nh3-sanitised copy for display, if any.")
    content_hash = models.CharField(max_length=64, unique=True, editable=False)
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        help_text="The earlier import of the same URL that this newer text replaces.",
    )
    is_superseded = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    # Claim counts per status and the progress they imply, kept by `recount_article`
    # in the same transaction as every change to the article's claims.
    progress = models.CharField(max_length=16, choices=Progress, default=Progress.NOT_STARTED, db_index=True)
    n_candidate = models.PositiveIntegerField(default=0)
    n_new = models.PositiveIntegerField(default=0)
    n_discarded = models.PositiveIntegerField(default=0)
    n_assigned = models.PositiveIntegerField(default=0)
    n_in_review = models.PositiveIntegerField(default=0)
    n_returned = models.PositiveIntegerField(default=0)
    n_submitted = models.PositiveIntegerField(default=0)
    n_not_checkable = models.PositiveIntegerField(default=0)
    n_approved = models.PositiveIntegerField(default=0)

    history = HistoricalRecords(excluded_fields=["body", "sanitized_html", *COUNT_FIELDS])

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["progress", "-created_at"], name="article_progress_created"),
            # The article list's order, ties included: deep pages walk the index, not a sort.
            models.Index(fields=["-created_at", "-id"], name="article_created_id"),
        ]
        constraints = [
            # One live article per canonical URL; superseded versions keep theirs.
            models.UniqueConstraint(
                fields=["canonical_url"],
                condition=~Q(canonical_url="") & Q(is_superseded=False),
                name="article_unique_live_canonical_url",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("articles:article_detail", args=[self.pk])

    @property
    def n_claims(self) -> int:
        """Claims in the workflow: everything but candidates and discarded ones."""
        return self.n_new + self.n_open + self.n_submitted + self.n_not_checkable + self.n_approved

    @property
    def n_open(self) -> int:
        return self.n_assigned + self.n_in_review + self.n_returned

    @property
    def n_done(self) -> int:
        return self.n_approved + self.n_not_checkable

    @property
    def percent_done(self) -> int:
        return round(100 * self.n_done / self.n_claims) if self.n_claims else 0

    @staticmethod
    def progress_for(counts: dict[str, int]) -> str:
        """The progress implied by claim counts (keys as COUNT_FIELDS)."""
        done = counts["n_approved"] + counts["n_not_checkable"]
        live = (
            counts["n_new"]
            + counts["n_assigned"]
            + counts["n_in_review"]
            + counts["n_returned"]
            + counts["n_submitted"]
            + done
        )
        if live == 0 or counts["n_new"] == live:
            return Article.Progress.NOT_STARTED
        if done == live and counts["n_approved"]:
            return Article.Progress.ALL_APPROVED
        if counts["n_submitted"] + done == live:
            return Article.Progress.ALL_SUBMITTED
        return Article.Progress.IN_PROGRESS


class ImportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued, waiting for a worker"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    class Source(models.TextChoices):
        PASTE = "paste", "Pasted text"
        FILES = "files", "Files"
        URLS = "urls", "Web pages"
        FEED = "feed", "Feed"
        BULK = "bulk", "Bulk file"

    status = models.CharField(max_length=16, choices=Status, default=Status.QUEUED, db_index=True)
    source = models.CharField(max_length=16, choices=Source, default=Source.PASTE)
    label = models.CharField(max_length=500, blank=True, help_text="What was submitted, in a few words.")
    feed_url = models.URLField(max_length=2000, blank=True)
    upload = models.FileField(upload_to="imports/bulk/%Y/%m/", blank=True, max_length=300)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Feed and bulk jobs are expanded by a task: when its message was last sent,
    # and how many times the expansion was taken without finishing.
    dispatched_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Import #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("articles:job_detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}


class ImportItemQuerySet(models.QuerySet):
    def counts(self) -> dict[str, int]:
        """Items per status in one query, every status present (0 when none)."""
        rows = self.values_list("status").annotate(n=models.Count("id")).order_by()
        counts = {status: 0 for status in ImportItem.Status.values}
        counts.update(dict(rows))
        counts["total"] = sum(counts[s] for s in ImportItem.Status.values)
        counts["finished"] = counts["total"] - counts["queued"] - counts["running"]
        counts["progress"] = round(100 * counts["finished"] / counts["total"]) if counts["total"] else 0
        return counts


class ImportItem(models.Model):
    """One article to import: a pasted text, a file, a URL or a bulk row."""

    class Kind(models.TextChoices):
        TEXT = "text", "Text"
        FILE = "file", "File"
        URL = "url", "Web page"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Imported"
        DUPLICATE = "duplicate", "Duplicate"
        CHANGED = "changed", "Changed since import"
        FAILED = "failed", "Failed"

    TERMINAL = frozenset({Status.DONE, Status.DUPLICATE, Status.CHANGED, Status.FAILED})

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=8, choices=Kind)
    label = models.CharField(max_length=500, help_text="File name, URL or row number.")
    title = models.CharField(max_length=500, blank=True)
    text = models.TextField(blank=True)
    url = models.URLField(max_length=2000, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    upload = models.FileField(upload_to="imports/files/%Y/%m/", blank=True, max_length=300)
    status = models.CharField(max_length=16, choices=Status, default=Status.QUEUED)
    article = models.ForeignKey(
        Article, on_delete=models.SET_NULL, null=True, blank=True, related_name="import_items"
    )
    error = models.TextField(blank=True)
    # Incremented when a worker takes the item and reset when it lets go
    # cleanly: a value that keeps growing means the item keeps killing workers.
    attempts = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # When the item's message was last sent (the sweeper re-sends queued items
    # whose message a restarted broker may have lost) and the worker that took it.
    dispatched_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=200, blank=True)

    objects = ImportItemQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["text"])

    class Meta:
        ordering = ["job_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["job", "position"], name="import_item_job_position"),
        ]
        indexes = [
            models.Index(fields=["job", "status"], name="import_item_job_status"),
            models.Index(fields=["status", "dispatched_at"], name="import_item_status_dispatched"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_finished(self) -> bool:
        return self.status in self.TERMINAL
