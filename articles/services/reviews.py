"""Review workflows: the reviewer's draft, sources and submit; the editor's approval or return.

The review's `version` counts saves of its own fields (verdict, confidence,
summary). A save based on an older version is refused with `ReviewConflict`,
so two tabs or two people never overwrite each other silently. Sources are
rows of their own: adding or removing one is a small write that leaves the
version alone, so it never invalidates a form open elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Max
from django.urls import reverse

from verify.accounts.models import User

from ..models import Claim, NewsroomSettings, Review, Source, TransitionError, Verdict
from .notifications import notify

WRITABLE = frozenset({Claim.Status.ASSIGNED, Claim.Status.IN_REVIEW, Claim.Status.RETURNED})


@dataclass(frozen=True)
class SourceInput:
    url: str
    title: str = ""
    publisher: str = ""
    excerpt: str = ""
    accessed_on: date | None = None
    stance: str = Source.Stance.CONTEXT
    kind: str = Source.Kind.OTHER


class ReviewConflict(Exception):
    """Someone saved the review after the form was opened; `current` is what is saved now."""

    def __init__(self, current: Review) -> None:
        super().__init__(
            f"This review was saved by {current.last_editor or 'someone'} after you opened it, "
            "so your changes were not saved. Compare below, then save again."
        )
        self.current = current


def get_or_start_review(*, claim: Claim) -> Review:
    assignment = claim.open_assignment()
    if assignment is None:
        raise TransitionError("The claim has no open assignment.")
    review, _ = Review.objects.select_related("verdict").get_or_create(assignment=assignment)
    return review


def _writable_review(claim: Claim, reviewer: User) -> Review:
    """The assigned reviewer's review, locked, while the claim can still be written."""
    # Check the claim as it is now, under its lock: the caller's copy may predate an
    # unassignment or a submit in another request.
    claim._locked()
    if not claim.is_assigned_reviewer(reviewer):
        raise TransitionError("Only the assigned reviewer may write this review.")
    if claim.status not in WRITABLE:
        raise TransitionError(
            f"The review cannot change while the claim is {claim.get_status_display().lower()}."
        )
    review = get_or_start_review(claim=claim)
    # Lock the review row only: PostgreSQL refuses FOR UPDATE on the outer join to a null verdict.
    return Review.objects.select_for_update(of=("self",)).select_related("verdict").get(pk=review.pk)


def _new_source(review: Review, item: SourceInput, position: int, by: User) -> Source:
    source = Source(
        review=review,
        url=item.url.strip(),
        title=item.title,
        publisher=item.publisher,
        excerpt=item.excerpt,
        accessed_on=item.accessed_on,
        stance=item.stance,
        kind=item.kind,
        position=position,
    )
    source.full_clean(exclude=["review"])
    source._history_user = by
    source.save()
    return source


def save_review(
    *,
    claim: Claim,
    reviewer: User,
    verdict: Verdict | None,
    confidence: int | None,
    summary: str,
    submit: bool,
    sources: list[SourceInput] | None = None,
    version: int | None = None,
) -> Review:
    """Save the assigned reviewer's review as a draft, or submit it.

    `version` is the version the form was opened at (None skips the check).
    `sources`, when given, replaces the review's sources; otherwise they stay
    as added one by one. Submitting checks the completeness rules and refuses
    with a TransitionError listing what is missing; nothing is written then.
    """
    with transaction.atomic():
        review = _writable_review(claim, reviewer)
        if version is not None and review.version != version:
            raise ReviewConflict(review)
        review.verdict = verdict
        if confidence is not None and not 0 <= confidence <= 100:
            raise TransitionError("Confidence is a number from 0 to 100.")
        review.confidence = confidence
        review.summary = summary
        if submit:
            count = len(sources) if sources is not None else review.sources.count()
            problems = review.problems_for_submit(source_count=count)
            if problems:
                raise TransitionError(problems)
        review.version += 1
        review._history_user = reviewer
        review._change_reason = "submitted" if submit else "draft saved"
        review.save()
        if sources is not None:
            for old in review.sources.all():
                old._history_user = reviewer
                old.delete()
            for position, item in enumerate(sources):
                _new_source(review, item, position, reviewer)
        if submit:
            claim.submit(by=reviewer)
            review.mark_submitted(by=reviewer)
        else:
            claim.save_draft(by=reviewer)
        return review


def add_source(*, claim: Claim, reviewer: User, item: SourceInput) -> Source:
    """One more source on the review; refuses non-web URLs (ValidationError)."""
    with transaction.atomic():
        review = _writable_review(claim, reviewer)
        last = review.sources.aggregate(last=Max("position"))["last"]
        source = _new_source(review, item, 0 if last is None else last + 1, reviewer)
        claim.save_draft(by=reviewer)
        return source


def remove_source(*, claim: Claim, reviewer: User, source_id: int) -> None:
    with transaction.atomic():
        review = _writable_review(claim, reviewer)
        source = review.sources.filter(pk=source_id).first()
        if source is None:
            raise TransitionError("That source was already removed.")
        source._history_user = reviewer
        source.delete()


def restore_draft(*, claim: Claim, reviewer: User, history_id: int) -> Review:
    """Put an earlier saved state of the reviewer's own draft back (a new version)."""
    with transaction.atomic():
        review = _writable_review(claim, reviewer)
        old = review.history.filter(history_id=history_id).first()
        if old is None:
            raise TransitionError("That version is not one of this review's.")
        review.verdict_id, review.confidence, review.summary = old.verdict_id, old.confidence, old.summary
        review.version += 1
        review._history_user = reviewer
        review._change_reason = f"restored the version of {old.history_date:%d %b %H:%M}"
        review.save()
        claim.save_draft(by=reviewer)
        return review


def approve_claim(*, claim: Claim, editor: User) -> None:
    with transaction.atomic():
        reviewer = claim.open_reviewer()
        claim.approve(by=editor, two_person_rule=NewsroomSettings.load().two_person_rule)
        if reviewer is not None and reviewer.pk != editor.pk:
            notify(
                user=reviewer,
                actor=editor,
                message=f"{editor} approved your review of “{claim.text[:100]}”.",
                url=reverse("articles:claim_detail", args=[claim.pk]),
            )


def return_claim(*, claim: Claim, editor: User, comment: str) -> None:
    """Send a submitted review back to its reviewer with what to change; they are told."""
    with transaction.atomic():
        claim.return_to_reviewer(by=editor, comment=comment.strip())
        assignment = claim.open_assignment()
        # A draft again: the reviewer's next saves are drafts, offered for restore in the history.
        review = getattr(assignment, "review", None)
        if review is not None:
            review.state = Review.State.DRAFT
            review._history_user = editor
            review._change_reason = "returned"
            review.save()
        reviewer = assignment.reviewer
        notify(
            user=reviewer,
            actor=editor,
            message=f"{editor} returned your review of “{claim.text[:80]}”: {comment.strip()[:200]}",
            url=reverse("articles:review_edit", args=[claim.pk]),
        )


def reopen_claim(*, claim: Claim, editor: User, reason: str) -> None:
    """Reopen an approved claim for a correction: back to its reviewer, who is told why."""
    with transaction.atomic():
        assignment = claim.reopen(by=editor, reason=reason)
        if assignment.reviewer_id != editor.pk:
            notify(
                user=assignment.reviewer,
                actor=editor,
                message=f"{editor} reopened “{claim.text[:80]}” for a correction: {reason.strip()[:200]}",
                url=reverse("articles:review_edit", args=[claim.pk]),
            )


__all__ = [
    "ReviewConflict",
    "SourceInput",
    "add_source",
    "approve_claim",
    "get_or_start_review",
    "remove_source",
    "reopen_claim",
    "restore_draft",
    "return_claim",
    "save_review",
]
