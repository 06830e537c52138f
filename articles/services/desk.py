"""The editors' desk: open work counted and listed by aggregate queries, never claim by claim.

Every number on the desk comes from a GROUP BY over an indexed set (claims by
status, open assignments by reviewer), so the page costs the same number of
queries with ten claims or a million; the claim list is one page of rows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Count, F, FilteredRelation, Min, Prefetch, Q, QuerySet
from django.utils import timezone

from verify.accounts.models import User

from ..models import Assignment, Claim

S = Claim.Status
# Open work: the desk counts and lists these unless a status filter asks for done work.
OPEN_WORK = (S.NEW, S.ASSIGNED, S.IN_REVIEW, S.RETURNED, S.SUBMITTED)
DONE_WORK = (S.NOT_CHECKABLE, S.APPROVED)
# Statuses held while an assignment is open, in lifecycle order.
ASSIGNED_STATUSES = (S.ASSIGNED, S.IN_REVIEW, S.RETURNED, S.SUBMITTED)

DUE_CHOICES = [
    ("overdue", "Overdue"),
    ("today", "Due today"),
    ("week", "Due this week"),
    ("none", "No due date"),
]
UNASSIGNED = "none"


@dataclass(frozen=True)
class Summary:
    unassigned: int
    assigned: int
    in_review: int
    returned: int
    submitted: int
    overdue: int

    @property
    def open(self) -> int:
        return self.unassigned + self.assigned + self.in_review + self.returned + self.submitted


@dataclass(frozen=True)
class ReviewerLoad:
    reviewer: User
    assigned: int = 0
    in_review: int = 0
    returned: int = 0
    submitted: int = 0
    overdue: int = 0
    oldest_opened_at: datetime.datetime | None = None

    @property
    def open(self) -> int:
        return self.assigned + self.in_review + self.returned + self.submitted


def open_work_counts() -> dict[str, int]:
    """Claims per open status, one query over the status index; every open status present."""
    counts = dict.fromkeys(OPEN_WORK, 0)
    counts.update(
        Claim.objects.filter(status__in=OPEN_WORK).values_list("status").annotate(n=Count("id")).order_by()
    )
    return counts


def open_assignment_loads(*, now: datetime.datetime) -> dict[int, dict]:
    """Open assignments per reviewer id: per claim status, overdue, oldest; one query.

    It reads open assignments only (the partial indexes on `closed_at IS NULL`),
    joined to their claims by primary key for the status.
    """
    per_status = {str(status): Count("id", filter=Q(claim__status=status)) for status in ASSIGNED_STATUSES}
    rows = (
        Assignment.objects.filter(closed_at__isnull=True)
        .values("reviewer_id")
        .annotate(
            **per_status,
            overdue=Count("id", filter=Q(due_at__lt=now)),
            oldest_opened_at=Min("opened_at"),
        )
        .order_by()
    )
    return {row.pop("reviewer_id"): row for row in rows}


def desk_overview(*, reviewers: list[User], now: datetime.datetime) -> tuple[Summary, list[ReviewerLoad]]:
    """The desk's summary counts and each reviewer's open load, in two queries.

    Overdue in the summary counts every open assignment past its due time,
    including those held by people no longer in the reviewer list.
    """
    counts = open_work_counts()
    loads = open_assignment_loads(now=now)
    summary = Summary(
        unassigned=counts[S.NEW],
        assigned=counts[S.ASSIGNED],
        in_review=counts[S.IN_REVIEW],
        returned=counts[S.RETURNED],
        submitted=counts[S.SUBMITTED],
        overdue=sum(load["overdue"] for load in loads.values()),
    )
    rows = [ReviewerLoad(reviewer=user, **loads.get(user.pk, {})) for user in reviewers]
    return summary, rows


def _due_window(due: str, *, now: datetime.datetime) -> Q:
    if due == "overdue":
        return Q(due_at__lt=now)
    if due == "none":
        # Unassigned claims have no due date either.
        return Q(due_at__isnull=True)
    today = timezone.localdate(now)
    start = today if due == "today" else today - datetime.timedelta(days=today.weekday())
    end = start + datetime.timedelta(days=1 if due == "today" else 7)

    def midnight(day: datetime.date) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))

    return Q(due_at__gte=midnight(start), due_at__lt=midnight(end))


def desk_claims(
    *,
    now: datetime.datetime,
    article_id: int | None = None,
    reviewer: str = "",
    status: str = "",
    due: str = "",
) -> QuerySet[Claim]:
    """Claims in the workflow for the desk's list, filtered; open work unless `status` says otherwise.

    `reviewer` is a user id or "none" (no open assignment). Each claim carries
    `due_at`, `assigned_at` and `holder_id` from its open assignment (one at
    most, by a constraint), joined once in the same query; the open assignment
    with its reviewer is prefetched for the page only.
    """
    claims = Claim.objects.annotate(
        current_assignment=FilteredRelation("assignments", condition=Q(assignments__closed_at__isnull=True)),
        due_at=F("current_assignment__due_at"),
        assigned_at=F("current_assignment__opened_at"),
        holder_id=F("current_assignment__reviewer_id"),
    )
    where = Q(status=status) if status else Q(status__in=OPEN_WORK)
    if article_id is not None:
        where &= Q(article_id=article_id)
    if reviewer == UNASSIGNED:
        where &= Q(assigned_at__isnull=True)  # opened_at is never null on an assignment
    elif reviewer:
        where &= Q(holder_id=int(reviewer))
    if due:
        where &= _due_window(due, now=now)
    return (
        # Conditions on the annotations, not on `current_assignment__...` lookups: those
        # would join the assignments table a second time.
        claims.filter(where)
        .select_related("article")
        # The list shows titles: the article bodies stay in the database.
        .defer("article__body", "article__sanitized_html", "highlights")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.filter(closed_at__isnull=True).select_related("reviewer"),
                to_attr="open_assignments",
            )
        )
        # Overdue first, then by due date; claims without one last, oldest first.
        .order_by(F("due_at").asc(nulls_last=True), "id")
    )


# The desk counts the claims without a due date up to here: past it the page says
# "10000+" and the last pages are not offered (no one pages that far; filters narrow).
DESK_COUNT_CAP = 10_000


class DeskList:
    """`desk_claims` in pages for a Paginator, cheap at any archive size.

    The desk's order (due date, then id; claims without one last) spans two tables,
    so PostgreSQL would sort every matching claim to show fifty. Split in two, each
    half follows an index: claims with a due date come from the open assignments
    (few, by the `assignment_open_due` index), the others from the claims by id.
    A page fetches ids from each half, then the rows: five queries, whatever the page.
    """

    def __init__(self, claims: QuerySet[Claim]) -> None:
        self.claims = claims
        self.dated = claims.filter(due_at__isnull=False).order_by("due_at", "id")
        self.undated = claims.filter(due_at__isnull=True).order_by("id")
        self.capped = False

    @cached_property
    def n_dated(self) -> int:
        return self.dated.count()

    def count(self) -> int:
        undated = self.undated.order_by().values("id")[: DESK_COUNT_CAP + 1].count()  # no sort to count
        self.capped = undated > DESK_COUNT_CAP
        return self.n_dated + min(undated, DESK_COUNT_CAP)

    @staticmethod
    def _ids(queryset: QuerySet[Claim], lo: int, hi: int) -> list[int]:
        # Always one query, even for an empty range, so that every page costs the same.
        return list(queryset.values_list("id", flat=True)[lo : max(hi, lo + 1)])[: hi - lo]

    def __getitem__(self, page: slice) -> list[Claim]:
        lo, hi, dated = page.start, page.stop, self.n_dated
        ids = self._ids(self.dated, min(lo, dated), min(hi, dated))
        ids += self._ids(self.undated, max(lo - dated, 0), max(hi - dated, 0))
        rows = {claim.pk: claim for claim in self.claims.filter(pk__in=ids)}
        return [rows[pk] for pk in ids if pk in rows]
