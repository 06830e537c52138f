"""The claim lifecycle table of the foundation issue, enforced on the model."""

from __future__ import annotations

import random

import pytest
from django.db.models import Count
from django.utils import timezone

from articles.models import (
    LIFECYCLE,
    Article,
    Assignment,
    Claim,
    NewsroomSettings,
    Review,
    Source,
    TransitionError,
)
from articles.models.article import COUNT_FIELDS
from articles.models.claim import recount_article

from .. import factories
from ..conftest import make_article

pytestmark = pytest.mark.django_db
S = Claim.Status
OPEN = {S.ASSIGNED, S.IN_REVIEW, S.RETURNED, S.SUBMITTED}


def claim_in(status: str, *, reviewer, editor) -> Claim:
    claim = factories.ClaimFactory(status=status)
    if status in OPEN:
        Assignment.objects.create(claim=claim, reviewer=reviewer, assigned_by=editor)
    if status == S.APPROVED:
        assignment = Assignment.objects.create(
            claim=claim,
            reviewer=reviewer,
            assigned_by=editor,
            closed_at=timezone.now(),
            close_reason="approved",
        )
        review = Review.objects.create(
            assignment=assignment, confidence=90, summary="Right.", state="submitted"
        )
        Source.objects.create(review=review, url="https://example.org/evidence")
    return claim


def perform(action: str, claim: Claim, *, editor, reviewer, other_reviewer) -> None:
    calls = {
        "promote": lambda: claim.promote(by=editor),
        "discard": lambda: claim.discard(by=editor, reason="duplicate"),
        "restore": lambda: claim.restore(by=editor),
        "assign": lambda: claim.assign_to(reviewer, by=editor),
        "unassign": lambda: claim.unassign(by=editor),
        "reassign": lambda: claim.reassign(other_reviewer, by=editor),
        "draft": lambda: claim.save_draft(by=reviewer),
        "submit": lambda: claim.submit(by=reviewer),
        "not_checkable": lambda: claim.mark_not_checkable(by=reviewer, reason="An opinion"),
        "undo_not_checkable": lambda: claim.undo_not_checkable(by=editor),
        "approve": lambda: claim.approve(by=editor, two_person_rule=True),
        "return": lambda: claim.return_to_reviewer(by=editor, comment="Add the 2023 figure"),
        "reopen": lambda: claim.reopen(by=editor, reason="Correction: figure revised"),
    }
    calls[action]()


ROWS = [(action, source) for action, row in LIFECYCLE.items() for source in sorted(row.sources)]
REFUSED = [
    (action, status)
    for action, row in LIFECYCLE.items()
    for status in S.values
    if status not in row.sources and not (action == "draft" and status == S.IN_REVIEW)
]


@pytest.mark.parametrize(("action", "source"), ROWS)
def test_each_row_of_the_table_moves_the_claim(action, source, editor, reviewer, other_reviewer):
    claim = claim_in(source, reviewer=reviewer, editor=editor)
    perform(action, claim, editor=editor, reviewer=reviewer, other_reviewer=other_reviewer)
    claim.refresh_from_db()
    assert claim.status == LIFECYCLE[action].target
    assert claim.history.first().history_user in (editor, reviewer)
    assert Assignment.objects.filter(claim=claim, closed_at__isnull=True).count() <= 1


@pytest.mark.parametrize(("action", "status"), REFUSED)
def test_every_other_move_is_refused_and_changes_nothing(action, status, editor, reviewer, other_reviewer):
    claim = claim_in(status, reviewer=reviewer, editor=editor)
    before = claim.history.count()
    with pytest.raises(TransitionError):
        perform(action, claim, editor=editor, reviewer=reviewer, other_reviewer=other_reviewer)
    claim.refresh_from_db()
    assert claim.status == status
    assert claim.history.count() == before


def test_assignment_side_effects(editor, reviewer, other_reviewer):
    claim = claim_in(S.NEW, reviewer=reviewer, editor=editor)
    claim.assign_to(reviewer, by=editor)
    claim.reassign(other_reviewer, by=editor)
    reasons = list(claim.assignments.order_by("opened_at", "id").values_list("reviewer", "close_reason"))
    assert reasons == [(reviewer.pk, "reassigned"), (other_reviewer.pk, "")]
    claim.unassign(by=editor)
    assert claim.open_assignment() is None


def test_reopen_copies_the_approved_review_for_the_same_reviewer(editor, reviewer, other_reviewer):
    claim = claim_in(S.APPROVED, reviewer=reviewer, editor=editor)
    assignment = claim.reopen(by=editor, reason="New census figures")
    assert assignment.reviewer == reviewer
    assert assignment.review.summary == "Right."
    assert [s.url for s in assignment.review.sources.all()] == ["https://example.org/evidence"]
    assert assignment.review.state == "draft"


@pytest.mark.parametrize("action", ["approve", "return", "unassign", "reassign", "undo_not_checkable"])
def test_reviewers_cannot_do_editor_moves(action, editor, reviewer, other_reviewer):
    status = {"approve": S.SUBMITTED, "return": S.SUBMITTED, "undo_not_checkable": S.NOT_CHECKABLE}.get(
        action, S.ASSIGNED
    )
    claim = claim_in(status, reviewer=reviewer, editor=editor)
    with pytest.raises(TransitionError, match="may not"):
        perform(action, claim, editor=reviewer, reviewer=reviewer, other_reviewer=other_reviewer)


def test_only_the_assigned_reviewer_submits(editor, reviewer, other_reviewer):
    claim = claim_in(S.ASSIGNED, reviewer=reviewer, editor=editor)
    for someone in (other_reviewer, editor):
        with pytest.raises(TransitionError, match="may not"):
            claim.submit(by=someone)


def test_a_reviewer_self_assigns_only_where_the_newsroom_allows_it(editor, reviewer, other_reviewer):
    newsroom = NewsroomSettings.load()
    claim = claim_in(S.NEW, reviewer=reviewer, editor=editor)
    with pytest.raises(TransitionError, match="only to themselves"):
        claim.assign_to(other_reviewer, by=reviewer)
    newsroom.self_assignment_allowed = False
    newsroom.save()
    with pytest.raises(TransitionError, match="may not"):
        claim.assign_to(reviewer, by=reviewer)
    newsroom.self_assignment_allowed = True
    newsroom.save()
    claim.assign_to(reviewer, by=reviewer)
    assert claim.open_assignment().reviewer == reviewer


def test_reasons_are_required_where_the_table_says(editor, reviewer, other_reviewer):
    claim = claim_in(S.SUBMITTED, reviewer=reviewer, editor=editor)
    with pytest.raises(TransitionError, match="comment"):
        claim.return_to_reviewer(by=editor, comment="  ")
    claim = claim_in(S.ASSIGNED, reviewer=reviewer, editor=editor)
    with pytest.raises(TransitionError, match="why"):
        claim.mark_not_checkable(by=reviewer, reason="")


def test_stored_article_counts_equal_a_recount_after_200_random_transitions(editor, reviewer, other_reviewer):
    """Every transition updates the article's counts and progress in its own transaction."""
    article = make_article(12)
    Claim.objects.filter(
        article=article, pk__in=list(article.claims.values_list("pk", flat=True))[:4]
    ).update(status=S.CANDIDATE)
    recount_article(article.pk)
    rng = random.Random(20261125)
    claims = list(article.claims.all())
    done = 0
    while done < 200:
        claim = rng.choice(claims)
        claim.refresh_from_db()
        claim.forget_assignments()
        possible = [a for a, row in LIFECYCLE.items() if claim.status in row.sources]
        action = rng.choice(possible)
        if claim.open_assignment():
            current = claim.open_assignment().reviewer
        else:
            current = rng.choice([reviewer, other_reviewer])
        other = other_reviewer if current == reviewer else reviewer
        perform(action, claim, editor=editor, reviewer=current, other_reviewer=other)
        done += 1
        if done % 20 == 0:
            stored = Article.objects.values(*COUNT_FIELDS, "progress").get(pk=article.pk)
            actual = dict.fromkeys(COUNT_FIELDS, 0)
            for status, n in article.claims.values_list("status").annotate(n=Count("id")).order_by():
                actual[f"n_{status}"] = n
            assert {k: stored[k] for k in COUNT_FIELDS} == actual, f"after {done} transitions"
            assert stored["progress"] == Article.progress_for(actual)


@pytest.mark.parametrize(
    ("counts", "progress"),
    [
        ({}, "not_started"),
        ({"n_new": 3, "n_candidate": 5}, "not_started"),
        ({"n_new": 2, "n_assigned": 1}, "in_progress"),
        ({"n_submitted": 2, "n_approved": 1, "n_discarded": 4}, "all_submitted"),
        ({"n_approved": 2, "n_not_checkable": 1}, "all_approved"),
        ({"n_not_checkable": 2}, "all_submitted"),
    ],
)
def test_article_progress_follows_its_claims(counts, progress):
    assert Article.progress_for({**dict.fromkeys(COUNT_FIELDS, 0), **counts}) == progress
