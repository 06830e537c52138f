"""The editors' desk: open work counted and listed by aggregate queries, never claim by claim.

Every number on the desk comes from an aggregate over an indexed set (new claims,
open assignments by reviewer), so the page costs the same number of
queries with ten claims or a million; the claim list is one page of rows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Count, F, FilteredRelation, Min, Q, QuerySet
from django.utils import timezone

from verify.accounts.models import User

from ..models import Assignment, Claim
from ..pagination import rows_in_order

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
    dated: int = 0  # open assignments with a due date: the dated part of the unfiltered claim list

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
    dated: int = 0
    oldest_opened_at: datetime.datetime | None = None

    @property
    def open(self) -> int:
        return self.assigned + self.in_review + self.returned + self.submitted


def unassigned_count() -> int:
    """New claims, waiting for a reviewer: one count over the `claim_status_id` index."""
    return Claim.objects.filter(status=S.NEW).count()


def open_assignment_loads(*, now: datetime.datetime) -> dict[int, dict]:
    """Open assignments per reviewer id: per claim status, overdue, oldest; one query.

    It reads open assignments only (the partial indexes on `closed_at IS NULL`),
    merged with their claims on the `claim_assigned_id` index: an open assignment's
    claim always has one of ASSIGNED_STATUSES, and saying so lets PostgreSQL merge
    two small indexes instead of looking up each claim in the million.
    """
    per_status = {str(status): Count("id", filter=Q(claim__status=status)) for status in ASSIGNED_STATUSES}
    rows = (
        Assignment.objects.filter(closed_at__isnull=True, claim__status__in=ASSIGNED_STATUSES)
        .values("reviewer_id")
        .annotate(
            **per_status,
            overdue=Count("id", filter=Q(due_at__lt=now)),
            dated=Count("id", filter=Q(due_at__isnull=False)),
            oldest_opened_at=Min("opened_at"),
        )
        .order_by()
    )
    return {row.pop("reviewer_id"): row for row in rows}


def desk_overview(*, reviewers: list[User], now: datetime.datetime) -> tuple[Summary, list[ReviewerLoad]]:
    """The desk's summary counts and each reviewer's open load, in two queries.

    A claim is assigned, in review, returned or submitted exactly while it has an open
    assignment (the lifecycle opens and closes both together), so those counts are the
    reviewer loads added up: only the unassigned count reads the claims. Overdue in the
    summary counts every open assignment past its due time, including those held by
    people no longer in the reviewer list.
    """
    loads = open_assignment_loads(now=now)

    def total(key: str) -> int:
        return sum(load[key] for load in loads.values())

    summary = Summary(
        unassigned=unassigned_count(),
        assigned=total(S.ASSIGNED),
        in_review=total(S.IN_REVIEW),
        returned=total(S.RETURNED),
        submitted=total(S.SUBMITTED),
        overdue=total("overdue"),
        dated=total("dated"),
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
    most, by a constraint), joined once in the same query. `DeskList` puts the
    holder's user on each claim of the page as `holder`.
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
        # What the list shows: the article bodies and the rest stay in the database.
        .only("id", "text", "status", "created_at", "article__id", "article__title")
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

    def __init__(
        self, claims: QuerySet[Claim], *, people: dict[int, User] | None = None, n_dated: int | None = None
    ) -> None:
        """`people`: users by id already loaded (the reviewers), who need not be read again
        to name the holders. `n_dated`, when the caller already knows it (`Summary.dated` for
        the unfiltered list), saves counting the claims with a due date again."""
        self.claims = claims
        self.people = dict(people or {})
        if n_dated is not None:
            self.n_dated = n_dated
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
        claims = rows_in_order(self.claims, ids)
        # Holders who are not among the known people (no longer reviewers): one query, rarely.
        missing = {c.holder_id for c in claims if c.holder_id is not None} - self.people.keys()
        if missing:
            self.people.update(User.objects.in_bulk(missing))
        for claim in claims:
            claim.holder = self.people.get(claim.holder_id)
        return claims
