"""Review workflows: a reviewer's save or submit, an editor's approval."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from verify.accounts.models import User

from ..models import Claim, NewsroomSettings, Review, Source, TransitionError, Verdict


@dataclass(frozen=True)
class SourceInput:
    url: str
    title: str = ""
    excerpt: str = ""


def get_or_start_review(*, claim: Claim) -> Review:
    assignment = claim.open_assignment()
    if assignment is None:
        raise TransitionError("The claim has no open assignment.")
    review, _ = Review.objects.get_or_create(assignment=assignment)
    return review


def save_review(
    *,
    claim: Claim,
    reviewer: User,
    verdict: Verdict | None,
    confidence: int | None,
    summary: str,
    sources: list[SourceInput],
    submit: bool,
) -> Review:
    """Save the assigned reviewer's review as a draft, or submit it.

    Submitting checks the completeness rules and refuses with a TransitionError
    listing what is missing; nothing is written in that case.
    """
    with transaction.atomic():
        if not claim.is_assigned_reviewer(reviewer):
            raise TransitionError("Only the assigned reviewer may write this review.")
        review = get_or_start_review(claim=claim)
        review.verdict = verdict
        review.confidence = confidence
        review.summary = summary
        if submit:
            problems = review.problems_for_submit(source_count=len(sources))
            if problems:
                raise TransitionError(problems)
        review.version += 1
        review._history_user = reviewer
        review.save()
        review.sources.all().delete()
        for position, item in enumerate(sources):
            source = Source(
                review=review, url=item.url, title=item.title, excerpt=item.excerpt, position=position
            )
            source.full_clean(exclude=["review"])
            source._history_user = reviewer
            source.save()
        if submit:
            claim.submit(by=reviewer)
            review.mark_submitted(by=reviewer)
        else:
            claim.save_draft(by=reviewer)
        return review


def approve_claim(*, claim: Claim, editor: User) -> None:
    claim.approve(by=editor, two_person_rule=NewsroomSettings.load().two_person_rule)
