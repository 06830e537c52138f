"""Assignment: one claim or a selection, by hand or by workload, unassign, reassign, take; notifications."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Assignment, Claim, NewsroomSettings, Notification, TransitionError
from articles.services.assignment import (
    NoReviewerAvailable,
    assign_claims,
    auto_assign,
    reassign_claim,
    take_claim,
    unassign_claim,
)
from articles.services.notifications import mark_read, notify
from verify.accounts.models import User

from .. import factories
from ..conftest import make_article

pytestmark = pytest.mark.django_db


def sent_mail(settings) -> str:
    folder = Path(settings.MAILERS["default"]["OPTIONS"]["file_path"])
    return "".join(p.read_text() for p in folder.iterdir()) if folder.exists() else ""


def give_open_claims(reviewer: User, n: int, by: User) -> None:
    if n:
        article = make_article(n)
        assign_claims(
            article=article,
            claim_ids=list(article.claims.values_list("pk", flat=True)),
            reviewer=reviewer,
            by=by,
        )


def open_count(user: User) -> int:
    return Assignment.objects.filter(reviewer=user, closed_at__isnull=True).count()


# --- auto-assign --------------------------------------------------------------


def test_auto_assign_evens_out_the_load_and_skips_the_unavailable(editor):
    light, medium, heavy = (
        factories.UserFactory(username=n, roles=["Reviewer"]) for n in ("light", "medium", "heavy")
    )
    away = factories.UserFactory(username="away", roles=["Reviewer"], is_available=False)
    give_open_claims(medium, 10, editor)
    give_open_claims(heavy, 20, editor)
    article = make_article(60)

    result = auto_assign(
        article=article, claim_ids=list(article.claims.values_list("pk", flat=True)), by=editor
    )

    assert result.total == 60 and not result.refused
    assert (open_count(light), open_count(medium), open_count(heavy)) == (30, 30, 30)
    assert open_count(away) == 0
    assert not Notification.objects.filter(user=away).exists()


def test_auto_assign_breaks_ties_by_who_was_assigned_least_recently(editor):
    earlier = factories.UserFactory(username="zed", roles=["Reviewer"])
    later = factories.UserFactory(username="amy", roles=["Reviewer"])
    for reviewer in (earlier, later):  # one claim each, then both finished: equal loads of 0
        give_open_claims(reviewer, 1, editor)
        Assignment.objects.filter(reviewer=reviewer).update(
            closed_at=timezone.now(), close_reason=Assignment.CloseReason.UNASSIGNED
        )
    Assignment.objects.filter(reviewer=earlier).update(opened_at=timezone.now() - timedelta(days=2))
    article = make_article(1)
    result = auto_assign(
        article=article, claim_ids=list(article.claims.values_list("pk", flat=True)), by=editor
    )
    assert list(result.assigned) == [earlier]


def test_auto_assign_with_nobody_available_says_so_and_assigns_nothing(editor):
    factories.UserFactory(username="away", roles=["Reviewer"], is_available=False)
    article = make_article(3)
    with pytest.raises(NoReviewerAvailable, match="No reviewer is available"):
        auto_assign(article=article, claim_ids=list(article.claims.values_list("pk", flat=True)), by=editor)
    assert not Assignment.objects.exists()


def test_a_reviewer_away_until_a_past_date_is_available_again(editor):
    back = factories.UserFactory(
        username="back", roles=["Reviewer"], is_available=False, unavailable_until=timezone.localdate()
    )
    article = make_article(2)
    result = auto_assign(
        article=article, claim_ids=list(article.claims.values_list("pk", flat=True)), by=editor
    )
    assert result.assigned[back] == 2


# --- bulk assign, notifications -------------------------------------------------


def test_bulk_assign_with_a_due_date_notifies_the_reviewer_once(
    editor, reviewer, settings, django_capture_on_commit_callbacks
):
    article = make_article(5)
    due = timezone.now() + timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        result = assign_claims(
            article=article,
            claim_ids=list(article.claims.values_list("pk", flat=True)),
            reviewer=reviewer,
            by=editor,
            due_at=due,
        )
    assert result.total == 5
    assert set(Assignment.objects.values_list("due_at", flat=True)) == {due}
    notes = Notification.objects.filter(user=reviewer)
    assert notes.count() == 1
    assert "assigned you 5 claims" in notes.get().message and "due" in notes.get().message
    reviewer.refresh_from_db()
    assert reviewer.unread_notifications == 1
    mail = sent_mail(settings)
    assert reviewer.email in mail and "assigned you 5 claims" in mail


def test_bulk_assign_moves_what_it_can_and_says_why_not_for_the_rest(editor, reviewer, other_reviewer):
    article = make_article(3)
    claims = list(article.claims.order_by("start"))
    claims[0].assign_to(other_reviewer, by=editor)
    result = assign_claims(article=article, claim_ids=[c.pk for c in claims], reviewer=reviewer, by=editor)
    assert result.total == 2
    assert len(result.refused) == 1 and "assigned" in result.refused[0]


def test_reassign_tells_both_reviewers_and_keeps_the_due_date(editor, reviewer, other_reviewer):
    article = make_article(1)
    claim = article.claims.get()
    due = timezone.now() + timedelta(days=1)
    claim.assign_to(reviewer, by=editor, due_at=due)
    reassign_claim(claim=claim, reviewer=other_reviewer, by=editor)
    assert claim.open_assignment().reviewer == other_reviewer
    assert claim.open_assignment().due_at == due
    assert "no longer yours" in Notification.objects.get(user=reviewer).message
    assert "assigned you a claim" in Notification.objects.get(user=other_reviewer).message
    assert not Claim.objects.open_for_reviewer(reviewer).exists()


def test_unassign_tells_the_reviewer_and_the_claim_is_new_again(editor, reviewer):
    claim = make_article(1).claims.get()
    claim.assign_to(reviewer, by=editor)
    unassign_claim(claim=claim, by=editor)
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.NEW
    assert "took back" in Notification.objects.get(user=reviewer).message


def test_a_reviewer_may_take_a_new_claim_only_where_the_newsroom_allows_it(reviewer, editor):
    claim = make_article(1).claims.get()
    settings_row = NewsroomSettings.load()
    settings_row.self_assignment_allowed = False
    settings_row.save()
    with pytest.raises(TransitionError, match="may not assign"):
        take_claim(claim=claim, by=reviewer)
    settings_row.self_assignment_allowed = True
    settings_row.save()
    take_claim(claim=claim, by=reviewer)
    assert claim.open_assignment().reviewer == reviewer
    assert not Notification.objects.exists()  # nobody to tell


def test_mark_read_keeps_the_counter_true(reviewer):
    notes = [notify(user=reviewer, message=f"n{i}", email=False) for i in range(3)]
    mark_read(user=reviewer, notification_ids=[notes[0].pk])
    mark_read(user=reviewer, notification_ids=[notes[0].pk])  # twice: still one fewer
    reviewer.refresh_from_db()
    assert reviewer.unread_notifications == 2
    mark_read(user=reviewer)
    reviewer.refresh_from_db()
    assert reviewer.unread_notifications == 0


# --- over HTTP --------------------------------------------------------------------


def test_the_bell_shows_the_unread_count_and_opening_a_notification_marks_it_read(client, reviewer):
    note = notify(
        user=reviewer, message="Eddie assigned you a claim.", url=reverse("articles:my_claims"), email=False
    )
    client.force_login(reviewer)
    page = client.get(reverse("articles:dashboard")).text
    assert 'aria-label="Notifications: 1 unread"' in page
    response = client.get(reverse("articles:notification_open", args=[note.pk]))
    assert response["Location"] == reverse("articles:my_claims")
    page = client.get(reverse("articles:dashboard")).text
    assert 'aria-label="Notifications: 0 unread"' in page


def test_nobody_opens_another_members_notification(client, reviewer, other_reviewer):
    note = notify(user=reviewer, message="Yours", email=False)
    client.force_login(other_reviewer)
    response = client.get(reverse("articles:notification_open", args=[note.pk]))
    assert response["Location"] == reverse("articles:notifications")
    assert Notification.objects.get(pk=note.pk).read_at is None


def test_a_notification_never_redirects_off_site(client, reviewer):
    note = notify(user=reviewer, message="Odd", url="https://evil.example/", email=False)
    client.force_login(reviewer)
    response = client.get(reverse("articles:notification_open", args=[note.pk]))
    assert response["Location"] == reverse("articles:notifications")


def test_bulk_and_auto_assign_from_the_article_page(client, editor, reviewer, other_reviewer):
    article = make_article(4)
    ids = list(article.claims.order_by("start").values_list("pk", flat=True))
    client.force_login(editor)
    url = reverse("articles:claims_bulk", args=[article.pk])
    response = client.post(
        url,
        {"action": "assign", "claims": ids[:2], "reviewer": reviewer.pk, "due_at": "2030-01-02T10:00"},
        follow=True,
    )
    assert "2 claims assigned: 2 to" in response.text
    response = client.post(url, {"action": "auto", "claims": ids[2:]}, follow=True)
    assert "2 claims assigned: 2 to" in response.text
    assert open_count(other_reviewer) == 2
    response = client.post(url, {"action": "assign", "claims": ids[:1]}, follow=True)
    assert "Choose a reviewer" in response.text


def test_overdue_claims_are_marked_on_the_article_page(client, editor, reviewer):
    claim = make_article(1).claims.get()
    claim.assign_to(reviewer, by=editor, due_at=timezone.now() - timedelta(hours=1))
    client.force_login(editor)
    page = client.get(claim.get_absolute_url()).text
    assert 'class="due overdue"' in page and "overdue, due" in page


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("outsider", 403), ("reviewer", 403), ("editor", 302), ("admin_member", 302)],
)
@pytest.mark.parametrize("action", ["claim_unassign", "claim_reassign"])
def test_unassign_and_reassign_are_for_editors(
    client, request, editor, reviewer, other_reviewer, who, status, action
):
    claim = make_article(1).claims.get()
    claim.assign_to(reviewer, by=editor)
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    response = client.post(reverse(f"articles:{action}", args=[claim.pk]), {"reviewer": other_reviewer.pk})
    assert response.status_code == status
    claim.forget_assignments()
    moved = claim.open_assignment() is None or claim.open_assignment().reviewer != reviewer
    assert moved == (who in ("editor", "admin_member"))


@pytest.mark.parametrize(("who", "status"), [("anonymous", 302), ("outsider", 403), ("reviewer", 302)])
def test_taking_a_claim_needs_a_reviewer_role(client, request, who, status):
    claim = make_article(1).claims.get()
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    response = client.post(reverse("articles:claim_take", args=[claim.pk]))
    assert response.status_code == status
    assert Claim.objects.get(pk=claim.pk).status == (
        Claim.Status.ASSIGNED if who == "reviewer" else Claim.Status.NEW
    )


def test_members_set_their_own_availability_and_editors_anyones(client, reviewer, other_reviewer, editor):
    client.force_login(reviewer)
    own = reverse("articles:my_availability")
    client.post(own, {"unavailable_until": "2030-05-01"})  # is_available unticked: away
    reviewer.refresh_from_db()
    assert not reviewer.is_available and str(reviewer.unavailable_until) == "2030-05-01"
    assert reviewer.history.first().history_change_reason == "away until 2030-05-01"
    other = reverse("articles:member_availability", args=[other_reviewer.pk])
    assert client.post(other, {"is_available": "on"}).status_code == 403
    client.force_login(editor)
    client.post(other, {})
    other_reviewer.refresh_from_db()
    assert not other_reviewer.is_available
    assert other_reviewer.history.first().history_user == editor
