"""The editors' desk: open work by status and reviewer, each reviewer's load, filters; and article progress."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Assignment, Claim
from articles.models.claim import recount_article
from articles.services import desk as desk_service
from articles.services.desk import DeskList, desk_claims

from .. import factories
from ..conftest import make_article

pytestmark = pytest.mark.django_db

DESK = reverse("articles:desk")


@dataclass
class Desk:
    budget: Article
    health: Article
    c: list[Claim]  # the budget article's claims, in text order
    d: list[Claim]  # the health article's claims


@pytest.fixture
def desk(editor, reviewer, other_reviewer) -> Desk:
    """Two articles with claims in every status, held by rita (reviewer) and rob (other_reviewer).

    budget: c0, c1 new; c2 assigned to rita, due yesterday (overdue); c3 in review by rita, due in
    30 days; c4 submitted by rita, no due date; c5 returned to rob, due two days ago (overdue);
    c6 assigned to rob, no due date; c7 approved (rob's, closed); c8 discarded.
    health: d0 new; d1 a candidate.
    """
    now = timezone.now()
    budget = make_article(9, title="Budget speech")
    health = make_article(2, title="Health report")
    c = list(budget.claims.order_by("start"))
    d = list(health.claims.order_by("start"))
    Claim.objects.filter(pk=d[1].pk).update(status=Claim.Status.CANDIDATE)
    recount_article(budget.pk)
    recount_article(health.pk)

    c[2].assign_to(reviewer, by=editor, due_at=now - datetime.timedelta(days=1))
    c[3].assign_to(reviewer, by=editor, due_at=now + datetime.timedelta(days=30))
    c[3].save_draft(by=reviewer)
    c[4].assign_to(reviewer, by=editor)
    c[4].submit(by=reviewer)
    c[5].assign_to(other_reviewer, by=editor, due_at=now - datetime.timedelta(days=2))
    c[5].submit(by=other_reviewer)
    c[5].return_to_reviewer(by=editor, comment="Add the 2019 figure.")
    c[6].assign_to(other_reviewer, by=editor)
    c[7].assign_to(other_reviewer, by=editor, due_at=now - datetime.timedelta(days=5))
    c[7].submit(by=other_reviewer)
    c[7].approve(by=editor, two_person_rule=True)
    c[8].discard(by=editor, reason="Opinion")
    return Desk(budget=budget, health=health, c=c, d=d)


def listed(response) -> list[int]:
    """The claim ids in the desk's table, in order."""
    return [int(pk) for pk in re.findall(r'<tr id="claim-(\d+)"', response.text)]


def ids(*claims: Claim) -> set[int]:
    return {claim.pk for claim in claims}


def get_desk(client, user, **params):
    client.force_login(user)
    response = client.get(DESK, params)
    assert response.status_code == 200
    return response


# --- who may see it ------------------------------------------------------


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get(DESK)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["outsider", "reviewer"])
def test_people_who_do_not_assign_work_are_refused(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(DESK).status_code == 403


@pytest.mark.parametrize("who", ["editor", "admin_member"])
def test_editors_and_admins_see_the_desk(client, request, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(DESK)
    assert response.status_code == 200
    assert "<h1>Desk</h1>" in response.text


def test_the_navigation_links_to_the_desk_for_editors_only(client, editor, reviewer):
    client.force_login(editor)
    assert f'href="{DESK}"' in client.get(reverse("articles:dashboard")).text
    client.force_login(reviewer)
    assert f'href="{DESK}"' not in client.get(reverse("articles:dashboard")).text


# --- counts --------------------------------------------------------------


def test_summary_counts_open_work_by_status_with_unassigned_and_overdue(client, editor, desk):
    summary = get_desk(client, editor).context["summary"]
    assert summary.unassigned == 3  # c0, c1, d0: candidates and discarded claims are not work yet
    assert (summary.assigned, summary.in_review, summary.returned, summary.submitted) == (2, 1, 1, 1)
    assert summary.overdue == 2  # c2 and c5; c7 was due too, but it is approved
    assert summary.open == 8


def test_each_reviewer_has_a_row_with_their_open_load(client, editor, reviewer, other_reviewer, desk):
    idle = factories.UserFactory(
        username="vic_reviewer",
        roles=["Reviewer"],
        is_available=False,
        unavailable_until=timezone.localdate() + datetime.timedelta(days=3),
    )
    factories.UserFactory(username="zed_reviewer", roles=["Reviewer"], is_active=False)
    response = get_desk(client, editor)
    loads = {load.reviewer.username: load for load in response.context["loads"]}

    assert list(loads) == ["rita_reviewer", "rob_reviewer", "vic_reviewer"]  # active reviewers only
    rita, rob, vic = loads["rita_reviewer"], loads["rob_reviewer"], loads["vic_reviewer"]
    assert (rita.assigned, rita.in_review, rita.returned, rita.submitted) == (1, 1, 0, 1)
    assert (rita.open, rita.overdue) == (3, 1)
    assert (rob.assigned, rob.in_review, rob.returned, rob.submitted) == (1, 0, 1, 0)
    assert (rob.open, rob.overdue) == (2, 1)  # the approved claim is no longer his load
    assert (vic.open, vic.overdue, vic.oldest_opened_at) == (0, 0, None)
    assert rita.oldest_opened_at == desk.c[2].assignments.get().opened_at

    row = re.search(rf'<tr id="load-{idle.pk}">.*?</tr>', response.text, re.S).group()
    assert "Unavailable until" in row
    row = re.search(rf'<tr id="load-{reviewer.pk}">.*?</tr>', response.text, re.S).group()
    assert "Available" in row
    assert f'href="?reviewer={reviewer.pk}"' in row  # the name filters the list by them


# --- the list and its filters --------------------------------------------


def test_the_list_shows_open_work_only_overdue_first(client, editor, desk):
    c, d = desk.c, desk.d
    rows = listed(get_desk(client, editor))
    assert set(rows) == ids(c[0], c[1], c[2], c[3], c[4], c[5], c[6], d[0])
    assert rows[:3] == [c[5].pk, c[2].pk, c[3].pk]  # by due date, claims without one after


def test_overdue_claims_are_highlighted(client, editor, desk):
    text = get_desk(client, editor).text
    overdue_rows = re.findall(r'<tr id="claim-(\d+)" class="[^"]*\boverdue\b[^"]*">(.*?)</tr>', text, re.S)
    assert {int(pk) for pk, _ in overdue_rows} == ids(desk.c[2], desk.c[5])
    assert all("overdue" in row for _, row in overdue_rows)
    assert 'id="count-overdue" class="overdue"' in text


def test_rows_name_the_reviewer_and_link_to_the_claim_and_article(client, editor, reviewer, desk):
    text = get_desk(client, editor).text
    row = re.search(rf'<tr id="claim-{desk.c[3].pk}".*?</tr>', text, re.S).group()
    assert str(reviewer) in row
    assert desk.c[3].get_absolute_url() in row
    assert desk.budget.get_absolute_url() in row
    assert "In review" in row
    row = re.search(rf'<tr id="claim-{desk.c[0].pk}".*?</tr>', text, re.S).group()
    assert "unassigned" in row


def test_a_holder_who_is_no_longer_a_reviewer_is_still_named(client, editor, reviewer, desk):
    reviewer.groups.clear()  # the Reviewer role taken away while they hold claims
    text = get_desk(client, editor).text
    row = re.search(rf'<tr id="claim-{desk.c[3].pk}".*?</tr>', text, re.S).group()
    assert str(reviewer) in row
    assert f'id="load-{reviewer.pk}"' not in text  # no load row: they are not on the desk any more


def test_filter_by_article(client, editor, desk):
    response = get_desk(client, editor, article=desk.health.pk)
    assert listed(response) == [desk.d[0].pk]
    assert "Health report" in response.text


def test_filter_by_reviewer(client, editor, reviewer, desk):
    assert set(listed(get_desk(client, editor, reviewer=reviewer.pk))) == ids(*desk.c[2:5])


def test_filter_unassigned(client, editor, desk):
    assert set(listed(get_desk(client, editor, reviewer="none"))) == ids(desk.c[0], desk.c[1], desk.d[0])


@pytest.mark.parametrize(
    ("status", "expected"),
    [("returned", ["c5"]), ("new", ["c0", "c1", "d0"]), ("approved", ["c7"]), ("not_checkable", [])],
)
def test_filter_by_status_including_done_work(client, editor, desk, status, expected):
    claims = {f"{name}{i}": claim for name in "cd" for i, claim in enumerate(getattr(desk, name))}
    assert set(listed(get_desk(client, editor, status=status))) == ids(*(claims[name] for name in expected))


def test_filter_overdue(client, editor, desk):
    assert listed(get_desk(client, editor, due="overdue")) == [desk.c[5].pk, desk.c[2].pk]


def test_filter_no_due_date_includes_unassigned_claims(client, editor, desk):
    c = desk.c
    assert set(listed(get_desk(client, editor, due="none"))) == ids(c[0], c[1], c[4], c[6], desk.d[0])


def test_filters_combine(client, editor, other_reviewer, desk):
    assert listed(get_desk(client, editor, reviewer=other_reviewer.pk, due="overdue")) == [desk.c[5].pk]


def test_a_bad_filter_is_reported_and_ignored(client, editor, desk):
    response = get_desk(client, editor, reviewer="999999", article="999999", status="approved")
    assert "Select a valid choice" in response.text
    assert "There is no article with that number" in response.text
    assert listed(response) == [desk.c[7].pk]  # the valid filter still applies


def test_due_today_and_this_week_are_calendar_windows(editor, reviewer):
    wednesday_noon = timezone.make_aware(datetime.datetime(2026, 3, 11, 12, 0))
    article = make_article(5)
    claims = list(article.claims.order_by("start"))
    due = {
        "monday morning": datetime.datetime(2026, 3, 9, 8, 0),
        "wednesday evening": datetime.datetime(2026, 3, 11, 18, 0),
        "sunday night": datetime.datetime(2026, 3, 15, 23, 0),
        "next monday": datetime.datetime(2026, 3, 16, 9, 0),
    }
    by_due = {}
    for claim, (label, when) in zip(claims, due.items(), strict=False):
        claim.assign_to(reviewer, by=editor, due_at=timezone.make_aware(when))
        by_due[label] = claim

    def found(due: str) -> set[int]:
        return set(desk_claims(now=wednesday_noon, due=due).values_list("pk", flat=True))

    assert found("today") == ids(by_due["wednesday evening"])
    assert found("week") == ids(by_due["monday morning"], by_due["wednesday evening"], by_due["sunday night"])
    assert found("overdue") == ids(by_due["monday morning"])
    assert found("none") == ids(claims[4])


def test_the_list_is_paginated_by_twenty_five(client, editor):
    make_article(60)
    response = get_desk(client, editor)
    assert len(listed(response)) == 25
    assert "Page 1 of 3" in response.text
    assert len(listed(get_desk(client, editor, page=3))) == 10


def test_pages_split_by_due_date_keep_the_queryset_order(editor, reviewer, other_reviewer):
    """DeskList pages read like one slice of `desk_claims`, across the dated/undated boundary."""
    article = make_article(23)
    claims = list(article.claims.order_by("id"))
    now = timezone.now()
    Claim.objects.filter(pk__in=[c.pk for c in claims[::2]]).update(status=Claim.Status.ASSIGNED)
    Assignment.objects.bulk_create(
        [
            Assignment(
                claim=c,
                reviewer=reviewer if i % 3 else other_reviewer,
                assigned_by=editor,
                due_at=None if i % 4 == 0 else now + datetime.timedelta(hours=(7 * i) % 11 - 5),
            )
            for i, c in enumerate(claims[::2])
        ]
    )
    expected = list(desk_claims(now=now).values_list("pk", flat=True))
    pages = DeskList(desk_claims(now=now))
    assert pages.count() == 23
    for size in (1, 5, 7, 50):
        got = [c.pk for lo in range(0, 23, size) for c in pages[lo : lo + size]]
        assert got == expected, size


def test_the_count_of_undated_claims_is_capped(client, editor, monkeypatch):
    monkeypatch.setattr(desk_service, "DESK_COUNT_CAP", 30)
    make_article(60)
    response = get_desk(client, editor)
    assert "30+ claims" in response.text
    # Pages stop at the cap: nobody pages through ten thousand claims, filters narrow them.
    assert "Page 1 of 2" in response.text
    assert len(listed(get_desk(client, editor, page=2))) == 5
    assert len(listed(get_desk(client, editor, page=3))) == 5  # past the end: the last page


def test_htmx_gets_the_claims_partial_only(client, editor, reviewer, desk):
    client.force_login(editor)
    response = client.get(DESK, {"reviewer": reviewer.pk}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.text
    assert response.text.lstrip().startswith('<section id="desk-claims">')
    assert set(listed(response)) == ids(*desk.c[2:5])
    assert "HX-Request" in response["Vary"]


def test_htmx_history_restore_gets_the_whole_page(client, editor, desk):
    client.force_login(editor)
    response = client.get(
        DESK, {"due": "overdue"}, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in response.text


def test_the_filter_form_works_without_javascript(client, editor, desk):
    text = get_desk(client, editor).text
    assert f'<form method="get" action="{DESK}"' in text
    assert 'hx-push-url="true"' in text


# --- article progress on the article list ---------------------------------


def test_the_article_list_shows_stored_progress_and_counts(client, editor, desk):
    client.force_login(editor)
    text = client.get(reverse("articles:dashboard")).text
    budget = re.search(
        r"<tr>\s*<td>(?:<input [^>]*> )?<a [^>]*>Budget speech</a>.*?</tr>", text, re.S
    ).group()
    assert "In progress" in budget
    # 8 claims in the workflow (not the discarded one); one approved is done
    assert '<progress max="8" value="1">' in budget
    health = re.search(
        r"<tr>\s*<td>(?:<input [^>]*> )?<a [^>]*>Health report</a>.*?</tr>", text, re.S
    ).group()
    assert "Not started" in health


def test_the_article_list_reads_the_stored_counts_not_the_claims(client, editor, desk):
    Article.objects.filter(pk=desk.health.pk).update(progress=Article.Progress.ALL_APPROVED, n_approved=7)
    client.force_login(editor)
    text = client.get(reverse("articles:dashboard")).text
    health = re.search(
        r"<tr>\s*<td>(?:<input [^>]*> )?<a [^>]*>Health report</a>.*?</tr>", text, re.S
    ).group()
    assert "All approved" in health
    assert "7 of 8 done" in health


@pytest.mark.parametrize(
    ("progress", "titles"),
    [("in_progress", ["Budget speech"]), ("not_started", ["Health report"]), ("all_approved", [])],
)
def test_the_article_list_filters_by_progress(client, editor, desk, progress, titles):
    client.force_login(editor)
    response = client.get(reverse("articles:dashboard"), {"progress": progress})
    assert [a.title for a in response.context["page"]] == titles


def test_an_unknown_progress_shows_every_article(client, editor, desk):
    client.force_login(editor)
    response = client.get(reverse("articles:dashboard"), {"progress": "bogus"})
    assert len(response.context["page"]) == 2
