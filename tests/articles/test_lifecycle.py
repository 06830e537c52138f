"""The claim lifecycle table of the foundation issue, enforced on the model."""

from __future__ import annotations

import pytest
from django.utils import timezone

from articles.models import LIFECYCLE, Assignment, Claim, NewsroomSettings, Review, Source, TransitionError

from .. import factories

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
