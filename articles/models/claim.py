from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .article import COUNT_FIELDS, Article

if TYPE_CHECKING:
    from verify.accounts.models import User

    from .review import Review


class TransitionError(ValidationError):
    """A lifecycle move that the table in the foundation issue does not allow."""


class ClaimQuerySet(models.QuerySet):
    def visible(self) -> ClaimQuerySet:
        return self.exclude(status__in=[Claim.Status.CANDIDATE, Claim.Status.DISCARDED])

    def open_for_reviewer(self, user: User) -> ClaimQuerySet:
        return self.filter(assignments__reviewer=user, assignments__closed_at__isnull=True)


class Claim(models.Model):
    class Status(models.TextChoices):
        CANDIDATE = "candidate", "Candidate"
        NEW = "new", "New"
        DISCARDED = "discarded", "Discarded"
        ASSIGNED = "assigned", "Assigned"
        IN_REVIEW = "in_review", "In review"
        RETURNED = "returned", "Returned"
        SUBMITTED = "submitted", "Submitted"
        NOT_CHECKABLE = "not_checkable", "Not checkable"
        APPROVED = "approved", "Approved"

    class Origin(models.TextChoices):
        EXTRACTED = "extracted", "Extracted"
        SPLIT = "split", "Split"
        MERGED = "merged", "Merged"
        ADDED = "added", "Added by an editor"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="claims")
    text = models.TextField()
    start = models.PositiveIntegerField(help_text="Offset of the first character in the article body.")
    end = models.PositiveIntegerField(help_text="Offset just past the last character.")
    status = models.CharField(max_length=16, choices=Status, default=Status.NEW, db_index=True)
    score = models.FloatField(null=True, blank=True, help_text="Check-worthiness, 0..1.")
    claim_type = models.CharField(max_length=32, blank=True)
    attribution = models.CharField(
        max_length=300, blank=True, help_text="Who asserts it, as named in the text."
    )
    attribution_start = models.PositiveIntegerField(null=True, blank=True)
    attribution_end = models.PositiveIntegerField(null=True, blank=True)
    via = models.CharField(max_length=300, blank=True, help_text="The outlet that relays the claim.")
    via_start = models.PositiveIntegerField(null=True, blank=True)
    via_end = models.PositiveIntegerField(null=True, blank=True)
    highlights = models.JSONField(
        default=list, blank=True, help_text="Spans of numbers, dates, quantities, money and sources."
    )
    reject_reason = models.CharField(
        max_length=32, blank=True, help_text="Why extraction kept this sentence as a candidate only."
    )
    status_reason = models.TextField(blank=True)
    origin = models.CharField(max_length=16, choices=Origin, default=Origin.EXTRACTED)
    derived_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The claim this one was split from.",
    )
    curated = models.BooleanField(
        default=False,
        help_text="A person has worked on it (edited, split, merged, added, promoted, discarded, "
        "assigned...): re-extraction keeps it exactly as it is.",
    )
    edited_at = models.DateTimeField(
        null=True, blank=True, help_text="When an editor last changed the text (the span is kept)."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = ClaimQuerySet.as_manager()

    class Meta:
        # Claims follow the text: by where they start, the longer first when two start together.
        ordering = ["article_id", "start", "-end", "id"]
        indexes = [
            models.Index(fields=["article", "start"], name="claim_article_start"),
            # The desk lists claims without a due date by id (services/desk.py DeskList):
            # one status, or open work by default (OPEN_WORK there, a partial index here that
            # also serves the desk summary, a GROUP BY status, from the index alone).
            models.Index(fields=["status", "id"], name="claim_status_id"),
            models.Index(
                fields=["id", "status"],
                condition=Q(status__in=["new", "assigned", "in_review", "returned", "submitted"]),
                name="claim_open_work_id",
            ),
            # Claims held by an open assignment: the desk joins them to the open assignments
            # (the reviewer loads) by a merge of two small indexes.
            models.Index(
                fields=["id", "status"],
                condition=Q(status__in=["assigned", "in_review", "returned", "submitted"]),
                name="claim_assigned_id",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="claim_span_not_empty"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | (Q(score__gte=0) & Q(score__lte=1)),
                name="claim_score_0_1",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return reverse("articles:article_detail", args=[self.article_id]) + f"#claim-{self.pk}"

    # --- lifecycle -------------------------------------------------------

    def open_assignment(self) -> Assignment | None:
        """The open assignment; uses a prefetched `open_assignments` list when present."""
        if not hasattr(self, "open_assignments"):
            self.open_assignments = list(
                self.assignments.filter(closed_at__isnull=True).select_related("reviewer")
            )
        return self.open_assignments[0] if self.open_assignments else None

    def open_reviewer(self) -> User | None:
        """Who holds the claim now, if anyone."""
        assignment = self.open_assignment()
        return assignment.reviewer if assignment else None

    def is_assigned_reviewer(self, user: User) -> bool:
        assignment = self.open_assignment()
        return assignment is not None and assignment.reviewer_id == user.pk

    def check_transition(self, action: str, *, by: User) -> Transition:
        """Return the row of the lifecycle table that allows `action` now, or raise."""
        row = LIFECYCLE.get(action)
        if row is None:
            raise TransitionError(f"Unknown action {action!r}.")
        if self.status not in row.sources:
            raise TransitionError(f"Cannot {row.verb} a claim that is {self.get_status_display().lower()}.")
        if not row.allows(self, by):
            raise TransitionError(f"You may not {row.verb} this claim.")
        return row

    def _move(self, row: Transition, *, by: User, reason: str = "") -> None:
        self.status = row.target
        self.status_reason = reason
        self.curated = True  # any move is a person's work: re-extraction keeps the claim
        self._history_user = by
        self._change_reason = row.verb + (f": {reason}" if reason else "")
        self.save()
        self.forget_assignments()
        recount_article(self.article_id)

    def _locked(self) -> Claim:
        # Serialise transitions on one claim: two editors approving or
        # reassigning at once must not both succeed against a stale status.
        # The article row first, always: its counts change with the claim, and
        # one lock order everywhere means no deadlock with re-extraction.
        lock_article(self.article_id)
        fresh = Claim.objects.select_for_update().get(pk=self.pk)
        self.status = fresh.status
        self.forget_assignments()
        return self

    def forget_assignments(self) -> None:
        """Drop the cached open assignment (after a transition changes it)."""
        self.__dict__.pop("open_assignments", None)

    def promote(self, *, by: User) -> None:
        with transaction.atomic():
            self._move(self._locked().check_transition("promote", by=by), by=by)

    def discard(self, *, by: User, reason: str = "") -> None:
        with transaction.atomic():
            self._move(self._locked().check_transition("discard", by=by), by=by, reason=reason)

    def restore(self, *, by: User) -> None:
        with transaction.atomic():
            self._move(self._locked().check_transition("restore", by=by), by=by)

    def assign_to(self, reviewer: User, *, by: User, due_at=None) -> Assignment:
        """Open an Assignment; an editor assigns anyone, a reviewer only themself."""
        with transaction.atomic():
            row = self._locked().check_transition("assign", by=by)
            if not by.is_editor_role and reviewer.pk != by.pk:
                raise TransitionError("Reviewers may assign claims only to themselves.")
            _require_reviewer(reviewer)
            assignment = Assignment(claim=self, reviewer=reviewer, assigned_by=by, due_at=due_at)
            assignment._history_user = by
            assignment.save()
            self._move(row, by=by, reason=f"assigned to {reviewer}")
            return assignment

    def unassign(self, *, by: User) -> None:
        with transaction.atomic():
            row = self._locked().check_transition("unassign", by=by)
            self.open_assignment().close(Assignment.CloseReason.UNASSIGNED, by=by)
            self._move(row, by=by)

    def reassign(self, reviewer: User, *, by: User, due_at=None) -> Assignment:
        with transaction.atomic():
            row = self._locked().check_transition("reassign", by=by)
            _require_reviewer(reviewer)
            old = self.open_assignment()
            if old.reviewer_id == reviewer.pk:
                raise TransitionError(f"The claim is already assigned to {reviewer}.")
            old.close(Assignment.CloseReason.REASSIGNED, by=by)
            assignment = Assignment(
                claim=self, reviewer=reviewer, assigned_by=by, due_at=due_at or old.due_at
            )
            assignment._history_user = by
            assignment.save()
            self._move(row, by=by, reason=f"reassigned from {old.reviewer} to {reviewer}")
            return assignment

    def save_draft(self, *, by: User) -> None:
        """Record that the reviewer has started; a no-op while already in review."""
        with transaction.atomic():
            self._locked()
            if self.status == self.Status.IN_REVIEW and self.is_assigned_reviewer(by):
                return
            self._move(self.check_transition("draft", by=by), by=by)

    def submit(self, *, by: User) -> None:
        with transaction.atomic():
            self._move(self._locked().check_transition("submit", by=by), by=by)

    def mark_not_checkable(self, *, by: User, reason: str) -> None:
        if not reason.strip():
            raise TransitionError("Say why the claim cannot be checked.")
        with transaction.atomic():
            row = self._locked().check_transition("not_checkable", by=by)
            self.open_assignment().close(Assignment.CloseReason.NOT_CHECKABLE, by=by)
            self._move(row, by=by, reason=reason)

    def undo_not_checkable(self, *, by: User) -> None:
        with transaction.atomic():
            self._move(self._locked().check_transition("undo_not_checkable", by=by), by=by)

    def approve(self, *, by: User, two_person_rule: bool) -> None:
        with transaction.atomic():
            row = self._locked().check_transition("approve", by=by)
            assignment = self.open_assignment()
            if two_person_rule and assignment.reviewer_id == by.pk:
                raise TransitionError(
                    "The two-person rule is on: someone other than the reviewer must approve."
                )
            assignment.close(Assignment.CloseReason.APPROVED, by=by)
            self._move(row, by=by)

    def return_to_reviewer(self, *, by: User, comment: str) -> None:
        if not comment.strip():
            raise TransitionError("Write a comment saying what the reviewer should change.")
        with transaction.atomic():
            self._move(self._locked().check_transition("return", by=by), by=by, reason=comment)

    def reopen(self, *, by: User, reason: str, reviewer: User | None = None) -> Assignment:
        """Reopen an approved claim for a correction; the new review copies the approved one."""

        if not reason.strip():
            raise TransitionError("Say what needs correcting.")
        with transaction.atomic():
            row = self._locked().check_transition("reopen", by=by)
            last = (
                self.assignments.filter(close_reason=Assignment.CloseReason.APPROVED)
                .select_related("reviewer", "review")
                .order_by("-closed_at", "-id")
                .first()
            )
            reviewer = reviewer or last.reviewer
            _require_reviewer(reviewer)
            assignment = Assignment(claim=self, reviewer=reviewer, assigned_by=by)
            assignment._history_user = by
            assignment.save()
            previous: Review | None = getattr(last, "review", None)
            if previous is not None:
                previous.copy_to(assignment, by=by)
            self._move(row, by=by, reason=reason)
            return assignment


def lock_article(article_id: int) -> None:
    """Lock the article's row until the transaction ends (no-op outside one on SQLite)."""
    Article.objects.select_for_update().filter(pk=article_id).values_list("pk", flat=True).first()


def recount_article(article_id: int) -> None:
    """Store the article's claim counts per status and its progress; call inside the changing transaction.

    The caller holds the article's row lock (`lock_article`), so two transitions
    of one article recount one after the other and never lose each other's change.
    """
    counts = dict.fromkeys(COUNT_FIELDS, 0)
    for status, n in (
        Claim.objects.filter(article_id=article_id)
        .values_list("status")
        .annotate(n=models.Count("id"))
        .order_by()
    ):
        counts[f"n_{status}"] = n
    Article.objects.filter(pk=article_id).update(progress=Article.progress_for(counts), **counts)


def _require_reviewer(user: User) -> None:
    if not user.has_perm("articles.self_assign"):
        raise TransitionError(f"{user} has no reviewer role.")


@dataclass(frozen=True)
class Transition:
    action: str
    verb: str
    sources: frozenset[str]
    target: str
    who: str  # "editor" | "assigned reviewer" | "editor or assigned reviewer" | "editor or self"

    def allows(self, claim: Claim, user: User) -> bool:
        if self.who == "editor":
            return user.is_editor_role
        if self.who == "assigned reviewer":
            return claim.is_assigned_reviewer(user)
        if self.who == "editor or assigned reviewer":
            return user.is_editor_role or claim.is_assigned_reviewer(user)
        if self.who == "editor or self":
            if user.is_editor_role:
                return True
            from .newsroom import NewsroomSettings

            return user.can_self_assign and NewsroomSettings.load().self_assignment_allowed
        raise AssertionError(self.who)


S = Claim.Status
_OPEN = frozenset({S.ASSIGNED, S.IN_REVIEW, S.RETURNED})
# The lifecycle table of the foundation issue, one row per action.
LIFECYCLE: dict[str, Transition] = {
    t.action: t
    for t in [
        Transition("promote", "promote", frozenset({S.CANDIDATE}), S.NEW, "editor"),
        Transition("discard", "discard", frozenset({S.CANDIDATE, S.NEW}), S.DISCARDED, "editor"),
        Transition("restore", "restore", frozenset({S.DISCARDED}), S.NEW, "editor"),
        Transition("assign", "assign", frozenset({S.NEW}), S.ASSIGNED, "editor or self"),
        Transition("unassign", "unassign", _OPEN, S.NEW, "editor"),
        Transition("reassign", "reassign", _OPEN, S.ASSIGNED, "editor"),
        Transition(
            "draft", "save a draft of", frozenset({S.ASSIGNED, S.RETURNED}), S.IN_REVIEW, "assigned reviewer"
        ),
        Transition("submit", "submit", _OPEN, S.SUBMITTED, "assigned reviewer"),
        Transition(
            "not_checkable",
            "mark as not checkable",
            frozenset({S.ASSIGNED, S.IN_REVIEW}),
            S.NOT_CHECKABLE,
            "editor or assigned reviewer",
        ),
        Transition(
            "undo_not_checkable", "undo not checkable for", frozenset({S.NOT_CHECKABLE}), S.NEW, "editor"
        ),
        Transition("approve", "approve", frozenset({S.SUBMITTED}), S.APPROVED, "editor"),
        Transition("return", "return", frozenset({S.SUBMITTED}), S.RETURNED, "editor"),
        Transition("reopen", "reopen", frozenset({S.APPROVED}), S.IN_REVIEW, "editor"),
    ]
}


class Assignment(models.Model):
    class CloseReason(models.TextChoices):
        UNASSIGNED = "unassigned", "Unassigned"
        REASSIGNED = "reassigned", "Reassigned"
        APPROVED = "approved", "Approved"
        NOT_CHECKABLE = "not_checkable", "Not checkable"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments"
    )
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    close_reason = models.CharField(max_length=16, choices=CloseReason, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim"],
                condition=Q(closed_at__isnull=True),
                name="one_open_assignment_per_claim",
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True, close_reason="")
                | Q(closed_at__isnull=False) & ~Q(close_reason=""),
                name="assignment_closed_with_reason",
            ),
        ]
        indexes = [
            # A reviewer's open assignments (My claims: counts, article choices, rows), read
            # from the index alone for the counts, whatever the size of the desk.
            models.Index(
                fields=["reviewer", "opened_at"],
                include=["claim", "due_at", "id"],
                condition=Q(closed_at__isnull=True),
                name="assignment_open_by_reviewer",
            ),
            models.Index(fields=["due_at"], condition=Q(closed_at__isnull=True), name="assignment_open_due"),
        ]

    def __str__(self) -> str:
        return f"{self.claim_id} → {self.reviewer}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def is_overdue(self) -> bool:
        return self.closed_at is None and self.due_at is not None and self.due_at < timezone.now()

    def close(self, reason: str, *, by: User) -> None:
        self.closed_at = timezone.now()
        self.close_reason = reason
        self._history_user = by
        self.save(update_fields=["closed_at", "close_reason"])
