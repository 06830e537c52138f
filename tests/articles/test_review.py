"""The skeleton's review path: assign, review with sources, submit, approve."""

from __future__ import annotations

import pytest
from django.urls import reverse

from articles.models import Claim, Review, Source, TransitionError
from articles.services.reviews import SourceInput, approve_claim, save_review

from .. import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(editor, reviewer):
    claim = factories.ClaimFactory()
    claim.assign_to(reviewer, by=editor)
    return claim


def review_post(verdict, *, confidence="80", summary="Checked against the census.", submit=True, **extra):
    """The main form as the browser sends it (no version: the check is tested on its own)."""
    return {
        "verdict": verdict.pk if verdict else "",
        "confidence": confidence,
        "summary": summary,
        "action": "submit" if submit else "draft",
        **extra,
    }


def source_post(url, *, stance="supports", kind="official_statistic", **main):
    """The form's "Add source" button without JavaScript: the draft is saved with the new source."""
    return {
        "verdict": "",
        "confidence": "",
        "summary": "",
        **main,
        "action": "add_source",
        "new-url": url,
        "new-title": "Census 2021",
        "new-publisher": "ONS",
        "new-stance": stance,
        "new-kind": kind,
    }


def test_assigning_opens_one_assignment_and_records_who(claim, editor, reviewer):
    assert claim.status == Claim.Status.ASSIGNED
    assignment = claim.open_assignment()
    assert assignment.reviewer == reviewer
    assert assignment.assigned_by == editor
    assert claim.history.first().history_user == editor


def test_a_claim_cannot_be_assigned_twice(claim, editor, other_reviewer):
    with pytest.raises(TransitionError, match="assigned"):
        claim.assign_to(other_reviewer, by=editor)
    assert claim.assignments.count() == 1


def test_reviewer_submits_with_a_source_and_editor_approves(client, claim, reviewer, editor, verdicts):
    client.force_login(reviewer)
    client.post(
        reverse("articles:review_edit", args=[claim.pk]), source_post("https://www.ons.gov.uk/census")
    )
    response = client.post(reverse("articles:review_edit", args=[claim.pk]), review_post(verdicts["True"]))
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == Claim.Status.SUBMITTED
    review = Review.objects.get()
    assert (review.verdict, review.confidence, review.state) == (verdicts["True"], 80, "submitted")
    assert list(review.sources.values_list("url", flat=True)) == ["https://www.ons.gov.uk/census"]

    client.force_login(editor)
    client.post(reverse("articles:claim_approve", args=[claim.pk]))
    claim.refresh_from_db()
    assert claim.status == Claim.Status.APPROVED
    assert claim.open_assignment() is None


def test_a_draft_keeps_the_claim_in_review(client, claim, reviewer, verdicts):
    client.force_login(reviewer)
    client.post(reverse("articles:review_edit", args=[claim.pk]), review_post(None, submit=False))
    claim.refresh_from_db()
    assert claim.status == Claim.Status.IN_REVIEW


@pytest.mark.parametrize("confidence", ["101", "-1", "high"])
def test_confidence_outside_0_100_is_refused(client, claim, reviewer, verdicts, confidence):
    client.force_login(reviewer)
    response = client.post(
        reverse("articles:review_edit", args=[claim.pk]), review_post(verdicts["True"], confidence=confidence)
    )
    assert response.status_code == 200
    assert "confidence" in response.text.lower()
    assert not Review.objects.filter(confidence__isnull=False).exists()
    claim.refresh_from_db()
    assert claim.status == Claim.Status.ASSIGNED


def test_the_database_refuses_a_confidence_over_100(claim, reviewer):
    from django.db import IntegrityError, transaction

    review = Review.objects.create(assignment=claim.open_assignment())
    review.confidence = 101
    with pytest.raises(IntegrityError), transaction.atomic():
        review.save()


def test_submit_without_a_source_is_refused_with_a_message(client, claim, reviewer, verdicts):
    client.force_login(reviewer)
    response = client.post(reverse("articles:review_edit", args=[claim.pk]), review_post(verdicts["False"]))
    assert response.status_code == 200
    assert "Add at least one source" in response.text
    claim.refresh_from_db()
    assert claim.status == Claim.Status.ASSIGNED
    assert not Review.objects.filter(state="submitted").exists()


def test_unverifiable_needs_no_source(client, claim, reviewer, verdicts):
    client.force_login(reviewer)
    client.post(reverse("articles:review_edit", args=[claim.pk]), review_post(verdicts["Unverifiable"]))
    claim.refresh_from_db()
    assert claim.status == Claim.Status.SUBMITTED


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "file:///etc/passwd", "data:text/html,x"]
)
def test_non_web_source_urls_are_refused(client, claim, reviewer, verdicts, url):
    client.force_login(reviewer)
    response = client.post(reverse("articles:review_edit", args=[claim.pk]), source_post(url))
    assert response.status_code == 200
    assert "Enter a valid URL" in response.text
    response = client.post(
        reverse("articles:review_source_add", args=[claim.pk]), {"new-url": url}, HTTP_HX_REQUEST="true"
    )
    assert "Enter a valid URL" in response.text
    assert not Source.objects.exists()
    claim.refresh_from_db()
    assert claim.status == Claim.Status.ASSIGNED


def test_the_service_refuses_a_javascript_url_too(claim, reviewer, verdicts):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        save_review(
            claim=claim,
            reviewer=reviewer,
            verdict=verdicts["True"],
            confidence=50,
            summary="s",
            sources=[SourceInput(url="javascript:alert(1)")],
            submit=True,
        )
    assert not Source.objects.exists()
    claim.refresh_from_db()
    assert claim.status == Claim.Status.ASSIGNED


def test_two_person_rule_stops_the_reviewer_approving_their_own_review(claim, reviewer, editor, verdicts):
    # A user who is both editor and reviewer reviews, then tries to approve.
    factories.roles()
    from django.contrib.auth.models import Group

    reviewer.groups.add(Group.objects.get(name="Editor"))
    reviewer = type(reviewer).objects.get(pk=reviewer.pk)
    save_review(
        claim=claim,
        reviewer=reviewer,
        verdict=verdicts["True"],
        confidence=90,
        summary="ok",
        sources=[SourceInput(url="https://example.org")],
        submit=True,
    )
    with pytest.raises(TransitionError, match="two-person rule"):
        approve_claim(claim=claim, editor=reviewer)
    approve_claim(claim=claim, editor=editor)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.APPROVED


def test_history_shows_who_did_each_step(client, claim, reviewer, editor, other_editor, verdicts):
    save_review(
        claim=claim,
        reviewer=reviewer,
        verdict=verdicts["True"],
        confidence=90,
        summary="ok",
        sources=[SourceInput(url="https://example.org")],
        submit=True,
    )
    approve_claim(claim=claim, editor=other_editor)
    steps = [(h.status, h.history_user) for h in claim.history.order_by("history_date", "history_id")]
    assert steps[-3:] == [
        (Claim.Status.ASSIGNED, editor),
        (Claim.Status.SUBMITTED, reviewer),
        (Claim.Status.APPROVED, other_editor),
    ]
    client.force_login(reviewer)
    page = client.get(reverse("articles:claim_history", args=[claim.pk]))
    for user in (editor, reviewer, other_editor):
        assert str(user) in page.text
