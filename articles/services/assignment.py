"""Who reviews what: assign, bulk- and auto-assign, unassign, reassign, with notifications.

The moves themselves are lifecycle transitions on `Claim` (checked and recorded
there); this module picks reviewers, applies moves to selections and tells the
people concerned, once per batch rather than once per claim.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from verify.accounts.models import User

from ..forms import reviewer_queryset
from ..models import Article, Claim, TransitionError
from .notifications import notify


@dataclass
class AssignResult:
    assigned: Counter = field(default_factory=Counter)  # reviewer -> claims assigned to them
    refused: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.assigned.values())


class NoReviewerAvailable(Exception):
    pass


def available_reviewers(day=None) -> list[User]:
    """Active reviewers who are not marked away on `day` (today by default)."""
    return [r for r in reviewer_queryset() if r.available_on(day)]


def _due_text(due_at: datetime | None) -> str:
    return f", due {date_format(timezone.localtime(due_at), 'j M H:i')}" if due_at else ""


def _tell_assignees(result: AssignResult, *, article: Article, by: User, due_at: datetime | None) -> None:
    for reviewer, n in result.assigned.items():
        if reviewer.pk == by.pk:
            continue  # no notification for taking a claim yourself
        what = "a claim" if n == 1 else f"{n} claims"
        notify(
            user=reviewer,
            actor=by,
            message=f"{by} assigned you {what} in “{article.title[:120]}”{_due_text(due_at)}.",
            url=reverse("articles:my_claims"),
        )


def _claims_in_order(article: Article, claim_ids: list[int]) -> list[Claim]:
    return list(article.claims.filter(pk__in=claim_ids).order_by("start", "pk"))


def assign_claims(
    *, article: Article, claim_ids: list[int], reviewer: User, by: User, due_at: datetime | None = None
) -> AssignResult:
    """Assign each selected claim of the article to `reviewer`; each moves or is refused on its own."""
    result = AssignResult()
    with transaction.atomic():
        for claim in _claims_in_order(article, claim_ids):
            try:
                claim.assign_to(reviewer, by=by, due_at=due_at)
            except TransitionError as exc:
                result.refused.append(f"“{claim.text[:50]}”: {' '.join(exc.messages)}")
            else:
                result.assigned[reviewer] += 1
        _tell_assignees(result, article=article, by=by, due_at=due_at)
    return result


def open_loads(reviewers: list[User]) -> dict[int, tuple[int, datetime | None]]:
    """Each reviewer's open assignments and when they were last given one, in one query."""
    rows = (
        User.objects.filter(pk__in=[r.pk for r in reviewers])
        .annotate(
            open_count=Count("assignments", filter=Q(assignments__closed_at__isnull=True)),
            last_assigned=Max("assignments__opened_at"),
        )
        .values_list("pk", "open_count", "last_assigned")
    )
    return {pk: (n, last) for pk, n, last in rows}


def auto_assign(
    *, article: Article, claim_ids: list[int], by: User, due_at: datetime | None = None
) -> AssignResult:
    """Give each claim to the available reviewer with the fewest open claims.

    Ties go to whoever was assigned least recently (never assigned first), then
    by name. Reviewers marked away are skipped. Loads are counted once and then
    kept up to date as claims are handed out, so a selection evens the desk out.
    """
    reviewers = available_reviewers()
    if not reviewers:
        raise NoReviewerAvailable("No reviewer is available: mark someone available or assign by hand.")
    result = AssignResult()
    with transaction.atomic():
        loads = open_loads(reviewers)
        oldest = timezone.make_aware(datetime(1970, 1, 1))
        state = {
            r.pk: [loads.get(r.pk, (0, None))[0], loads.get(r.pk, (0, None))[1] or oldest] for r in reviewers
        }
        for claim in _claims_in_order(article, claim_ids):
            reviewer = min(reviewers, key=lambda r: (state[r.pk][0], state[r.pk][1], r.username))
            try:
                claim.assign_to(reviewer, by=by, due_at=due_at)
            except TransitionError as exc:
                result.refused.append(f"“{claim.text[:50]}”: {' '.join(exc.messages)}")
                continue
            result.assigned[reviewer] += 1
            state[reviewer.pk][0] += 1
            state[reviewer.pk][1] = timezone.now()
        _tell_assignees(result, article=article, by=by, due_at=due_at)
    return result


def take_claim(*, claim: Claim, by: User) -> None:
    """A reviewer assigns a new claim to themself (where the newsroom allows it)."""
    claim.assign_to(by, by=by)


def unassign_claim(*, claim: Claim, by: User) -> None:
    with transaction.atomic():
        reviewer = claim.open_reviewer()
        claim.unassign(by=by)
        if reviewer is not None and reviewer.pk != by.pk:
            notify(
                user=reviewer,
                actor=by,
                message=f"{by} took back “{claim.text[:100]}”: it is no longer yours to review.",
                url=claim.get_absolute_url(),
            )


def reassign_claim(*, claim: Claim, reviewer: User, by: User, due_at: datetime | None = None) -> None:
    with transaction.atomic():
        previous = claim.open_reviewer()
        assignment = claim.reassign(reviewer, by=by, due_at=due_at)
        if previous is not None and previous.pk != by.pk:
            notify(
                user=previous,
                actor=by,
                message=f"{by} reassigned “{claim.text[:100]}” to {reviewer}: it is no longer yours to review.",
                url=claim.get_absolute_url(),
            )
        if reviewer.pk != by.pk:
            notify(
                user=reviewer,
                actor=by,
                message=f"{by} assigned you a claim in “{claim.article.title[:120]}”{_due_text(assignment.due_at)}.",
                url=reverse("articles:review_edit", args=[claim.pk]),
            )
