from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .claim import Assignment

if TYPE_CHECKING:
    from verify.accounts.models import User

# Only web evidence: javascript:, data:, file: and friends are refused.
http_url_validator = URLValidator(schemes=["http", "https"])


class Verdict(models.Model):
    """One step of the newsroom's verdict scale."""

    name = models.CharField(max_length=100, unique=True)
    rating_value = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Ordinal value; empty for verdicts outside the true-false scale."
    )
    description = models.TextField(blank=True)
    colour = models.CharField(max_length=7, default="#777777")
    no_evidence_needed = models.BooleanField(
        default=False, help_text="A review with this verdict may be submitted without sources."
    )
    archived = models.BooleanField(default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = [models.F("rating_value").desc(nulls_last=True), "name"]

    def __str__(self) -> str:
        return self.name


class Review(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="review")
    verdict = models.ForeignKey(Verdict, on_delete=models.PROTECT, null=True, blank=True)
    confidence = models.PositiveSmallIntegerField(null=True, blank=True)
    summary = models.TextField(blank=True)
    state = models.CharField(max_length=16, choices=State, default=State.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(confidence__isnull=True) | Q(confidence__gte=0) & Q(confidence__lte=100),
                name="review_confidence_0_100",
            )
        ]

    def __str__(self) -> str:
        return f"Review of claim {self.assignment.claim_id}"

    @property
    def last_editor(self) -> User | None:
        last = self.history.select_related("history_user").first()
        return last.history_user if last else None

    def problems_for_submit(self, *, source_count: int) -> list[str]:
        """What still stops this review from being submitted, in words for the reviewer."""
        problems = []
        if self.verdict_id is None:
            problems.append("Choose a verdict.")
        if self.confidence is None:
            problems.append("Give your confidence (0-100).")
        if not self.summary.strip():
            problems.append("Write a summary for readers.")
        if source_count == 0 and not (self.verdict and self.verdict.no_evidence_needed):
            problems.append("Add at least one source (only a 'no evidence needed' verdict may have none).")
        return problems

    def copy_to(self, assignment: Assignment, *, by: User) -> Review:
        copy = Review(
            assignment=assignment,
            verdict=self.verdict,
            confidence=self.confidence,
            summary=self.summary,
        )
        copy._history_user = by
        copy.save()
        for source in self.sources.all():
            Source.objects.create(
                review=copy,
                url=source.url,
                title=source.title,
                publisher=source.publisher,
                excerpt=source.excerpt,
                accessed_on=source.accessed_on,
                stance=source.stance,
                kind=source.kind,
                position=source.position,
            )
        return copy

    def mark_submitted(self, *, by: User) -> None:
        self.state = self.State.SUBMITTED
        self.submitted_at = timezone.now()
        self._history_user = by
        self.save()


class Source(models.Model):
    class Stance(models.TextChoices):
        SUPPORTS = "supports", "Supports the claim"
        REFUTES = "refutes", "Refutes the claim"
        CONTEXT = "context", "Gives context"

    class Kind(models.TextChoices):
        OFFICIAL_STATISTIC = "official_statistic", "Official statistic"
        DOCUMENT = "document", "Document"
        EXPERT = "expert", "Expert"
        NEWS_REPORT = "news_report", "News report"
        OTHER = "other", "Other"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="sources")
    url = models.URLField("URL", max_length=2000, validators=[http_url_validator])
    title = models.CharField(max_length=500, blank=True)
    publisher = models.CharField(max_length=300, blank=True)
    excerpt = models.TextField("quoted excerpt", blank=True)
    accessed_on = models.DateField("accessed", null=True, blank=True)
    stance = models.CharField(max_length=16, choices=Stance, default=Stance.CONTEXT)
    kind = models.CharField("source type", max_length=24, choices=Kind, default=Kind.OTHER)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            # Second line of defence behind the form's validator.
            models.CheckConstraint(
                condition=Q(url__istartswith="http://") | Q(url__istartswith="https://"),
                name="source_url_http",
            )
        ]

    def __str__(self) -> str:
        return self.title or self.url
