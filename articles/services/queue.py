"""The reviewer queue: a reviewer's open assignments, filtered, ordered and counted.

Every function here runs a fixed number of queries, whatever the size of the queue:
the counts are one aggregate, the article choices one grouped query, the rows a slice.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from verify.accounts.models import User

from ..models import Assignment, Claim

# The claim statuses an open assignment can have (see LIFECYCLE): the status filter's choices.
OPEN_STATUSES = [Claim.Status.ASSIGNED, Claim.Status.IN_REVIEW, Claim.Status.RETURNED, Claim.Status.SUBMITTED]

DUE_CHOICES = [
    ("overdue", "Overdue"),
    ("today", "Due today"),
    ("week", "Due this week"),
    ("none", "No due date"),
]


@dataclass(frozen=True)
class Period:
    """The local calendar day and week around `now`, as aware datetimes."""

    now: datetime.datetime
    today: datetime.datetime
    tomorrow: datetime.datetime
    week_start: datetime.datetime
    week_end: datetime.datetime

    @classmethod
    def around(cls, now: datetime.datetime) -> Period:
        day = timezone.localdate(now)
        monday = day - datetime.timedelta(days=day.weekday())

        def midnight(d: datetime.date) -> datetime.datetime:
            return timezone.make_aware(datetime.datetime.combine(d, datetime.time.min))

        return cls(
            now=now,
            today=midnight(day),
            tomorrow=midnight(day + datetime.timedelta(days=1)),
            week_start=midnight(monday),
            week_end=midnight(monday + datetime.timedelta(days=7)),
        )

    def due_q(self, due: str) -> Q:
        """Open assignments matching one `DUE_CHOICES` key.

        Overdue is against the clock; today and this week are the calendar day and the
        Monday-to-Sunday week, so an assignment due this morning is both overdue and due today.
        """
        return {
            "overdue": Q(due_at__lt=self.now),
            "today": Q(due_at__gte=self.today, due_at__lt=self.tomorrow),
            "week": Q(due_at__gte=self.week_start, due_at__lt=self.week_end),
            "none": Q(due_at__isnull=True),
        }[due]


def open_assignments(*, reviewer: User) -> QuerySet[Assignment]:
    return Assignment.objects.filter(reviewer=reviewer, closed_at__isnull=True)


def queue_counts(*, reviewer: User, period: Period) -> dict[str, int]:
    """Open, overdue, per due period and per claim status, in one aggregate query."""
    aggregates = {
        "total": Count("id"),
        **{f"due_{key}": Count("id", filter=period.due_q(key)) for key, _ in DUE_CHOICES},
        **{f"status_{status}": Count("id", filter=Q(claim__status=status)) for status in OPEN_STATUSES},
    }
    return open_assignments(reviewer=reviewer).aggregate(**aggregates)


class QueueArticle(NamedTuple):
    id: int
    title: str
    open_count: int


def queue_articles(*, reviewer: User) -> list[QueueArticle]:
    """The articles the reviewer has open assignments in, each with its number of them.

    Plain tuples, not model instances: a busy queue spans hundreds of articles and
    the filter only needs their titles.
    """
    rows = (
        open_assignments(reviewer=reviewer)
        .values_list("claim__article_id", "claim__article__title")
        .annotate(open_count=Count("id"))
        .order_by("claim__article__title", "claim__article_id")
    )
    return [QueueArticle(*row) for row in rows]


def queue_assignments(
    *,
    reviewer: User,
    period: Period,
    status: str = "",
    due: str = "",
    article_id: int | None = None,
) -> QuerySet[Assignment]:
    """The reviewer's open assignments, filtered, most urgent first."""
    assignments = (
        open_assignments(reviewer=reviewer)
        .select_related("claim__article", "assigned_by")
        # The queue shows titles: article bodies and highlight spans stay in the database.
        .defer("claim__article__body", "claim__article__sanitized_html", "claim__highlights")
    )
    if status:
        assignments = assignments.filter(claim__status=status)
    if due:
        assignments = assignments.filter(period.due_q(due))
    if article_id is not None:
        assignments = assignments.filter(claim__article_id=article_id)
    # Ascending due dates put every overdue assignment first (its date is before any
    # other's); undated ones go last; then the oldest first, and the id keeps pages stable.
    return assignments.order_by(F("due_at").asc(nulls_last=True), "opened_at", "id")


def mark_due(assignments, *, period: Period) -> None:
    """Set `overdue` and `due_today` on each assignment, for the template."""
    for assignment in assignments:
        due = assignment.due_at
        assignment.overdue = due is not None and due < period.now
        assignment.due_today = due is not None and period.today <= due < period.tomorrow
