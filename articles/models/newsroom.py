from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class NewsroomSettings(models.Model):
    """The one newsroom of this deployment (a singleton row, pk=1).

    Its Meta.permissions are the building blocks of the roles; the data
    migration 0002 groups them into the Admin, Editor and Reviewer groups.
    """

    name = models.CharField(max_length=200)
    logo = models.FileField(upload_to="newsroom/", blank=True)
    base_url = models.URLField(
        "external base URL", help_text="Used to build public links, e.g. https://verify.example.org"
    )
    claim_threshold = models.FloatField(
        default=0.5, help_text="Sentences scoring below this are kept as candidates."
    )
    self_assignment_allowed = models.BooleanField(default=True)
    two_person_rule = models.BooleanField(
        default=True, help_text="The approver must differ from the reviewer."
    )
    show_reviewer_names = models.BooleanField("show reviewer names publicly", default=False)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "newsroom settings"
        verbose_name_plural = "newsroom settings"
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="newsroom_settings_singleton"),
            models.CheckConstraint(
                condition=Q(claim_threshold__gte=0) & Q(claim_threshold__lte=1),
                name="newsroom_claim_threshold_0_1",
            ),
        ]
        default_permissions = ("change", "view")
        permissions = [
            ("manage_newsroom", "Manage users, verdict scale and newsroom settings"),
            ("view_desk", "See articles, claims, jobs and history; comment"),
            ("work_desk", "Import, curate, assign, approve, return, export and publish"),
            ("self_assign", "Self-assign new claims and set own availability"),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def load(cls) -> NewsroomSettings:
        from articles.extraction.checkworthiness import configured_threshold

        obj, _ = cls.objects.get_or_create(
            pk=1,
            defaults={
                "name": settings.VERIFY_NEWSROOM_NAME,
                "base_url": settings.VERIFY_BASE_URL,
                "claim_threshold": configured_threshold(),
                "self_assignment_allowed": settings.VERIFY_SELF_ASSIGN,
                "two_person_rule": settings.VERIFY_TWO_PERSON_RULE,
                "show_reviewer_names": settings.VERIFY_SHOW_REVIEWER_NAMES,
            },
        )
        return obj
