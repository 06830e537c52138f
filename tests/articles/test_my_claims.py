"""My claims: the reviewer's queue of open assignments, its filters, counts and fragment."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Assignment, Claim

from .. import factories

pytestmark = pytest.mark.django_db

URL = reverse("articles:my_claims")
UTC = datetime.UTC
# A Wednesday at noon: the week runs from Monday 16 to Sunday 22 November.
NOW = datetime.datetime(2026, 11, 18, 12, 0, tzinfo=UTC)


def at(day: int, hour: int = 12) -> datetime.datetime:
    return datetime.datetime(2026, 11, day, hour, 0, tzinfo=UTC)


@pytest.fixture
def now(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW


def assign(reviewer, by, text, *, article=None, due_at=None, opened_at=None, status=Claim.Status.ASSIGNED):
    claim = factories.ClaimFactory(
        text=text, status=status, **({"article": article} if article is not None else {})
    )
    return Assignment.objects.create(
        claim=claim, reviewer=reviewer, assigned_by=by, due_at=due_at, opened_at=opened_at or at(10)
    )


def row_ids(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'<tr id="assignment-(\d+)"', response.text)]


def row(response, assignment) -> str:
    match = re.search(rf'<tr id="assignment-{assignment.pk}".*?</tr>', response.text, re.S)
    assert match, f"assignment {assignment.pk} is not listed"
    return match.group(0)


@pytest.fixture
def queue(now, reviewer, editor):
    """One open assignment per due period, in the order the queue shows them."""
    article = factories.ArticleFactory(title="Schools report")
    return {
        "overdue": assign(reviewer, editor, "Overdue since Tuesday.", article=article, due_at=at(17, 9)),
        "overdue_today": assign(reviewer, editor, "Overdue since this morning.", due_at=at(18, 8)),
        "today": assign(reviewer, editor, "Due tonight.", due_at=at(18, 17), status=Claim.Status.IN_REVIEW),
        "week": assign(reviewer, editor, "Due on Saturday.", due_at=at(21), status=Claim.Status.RETURNED),
        "later": assign(reviewer, editor, "Due next month.", due_at=at(30), status=Claim.Status.SUBMITTED),
        "none_old": assign(reviewer, editor, "No date, assigned first.", article=article, opened_at=at(2)),
        "none_new": assign(reviewer, editor, "No date, assigned last.", opened_at=at(12)),
    }


def test_lists_only_the_users_open_assignments(client, now, reviewer, other_reviewer, editor):
    mine = assign(reviewer, editor, "Mine and open.")
    closed = assign(reviewer, editor, "Mine but closed.")
    closed.close(Assignment.CloseReason.UNASSIGNED, by=editor)
    theirs = assign(other_reviewer, editor, "Someone else's.")
    client.force_login(reviewer)
    response = client.get(URL)
    assert response.status_code == 200
    assert row_ids(response) == [mine.pk]
    assert "Mine but closed." not in response.text
    assert "Someone else&#x27;s." not in response.text
    assert theirs.pk not in row_ids(response)


def test_a_row_links_the_review_and_the_article_and_shows_age_due_status_and_assigner(
    client, now, reviewer, editor
):
    article = factories.ArticleFactory(title="Ministry figures")
    assignment = assign(
        reviewer, editor, "Schools opened.", article=article, due_at=at(20, 15), opened_at=at(15)
    )
    client.force_login(reviewer)
    html = row(client.get(URL), assignment)
    assert f'href="{reverse("articles:review_edit", args=[assignment.claim_id])}"' in html
    assert f'href="{article.get_absolute_url()}">Ministry figures</a>' in html
    assert "3\xa0days" in html  # opened on the 15th, seen on the 18th
    assert "20 Nov 15:00" in html
    assert "Assigned" in html
    assert str(editor) in html


def test_overdue_first_then_by_due_date_undated_last_then_oldest_first(client, queue, reviewer):
    client.force_login(reviewer)
    assert row_ids(client.get(URL)) == [a.pk for a in queue.values()]


def test_overdue_rows_are_highlighted_and_due_today_is_marked(client, queue, reviewer):
    client.force_login(reviewer)
    response = client.get(URL)
    for name in ["overdue", "overdue_today"]:
        assert '<td class="due overdue">' in row(response, queue[name])
        assert "<strong>overdue</strong>" in row(response, queue[name])
    today = row(response, queue["today"])
    assert "overdue" not in today
    assert '<td class="due due-today">18 Nov 17:00 <strong>today</strong></td>' in today
    for name in ["week", "later", "none_old"]:
        assert '<td class="due">' in row(response, queue[name])
        assert "overdue" not in row(response, queue[name])


def test_counts_cover_the_whole_queue(client, queue, reviewer):
    client.force_login(reviewer)
    text = client.get(URL, {"status": "submitted"}).text
    counts = dict(
        (label, int(n)) for n, label in re.findall(r"<li[^>]*><strong>(\d+)</strong> ([a-z ]+)</li>", text)
    )
    assert counts == {
        "open": 7,
        "overdue": 2,
        "due today": 2,
        "due this week": 4,
        "assigned": 4,
        "in review": 1,
        "returned": 1,
        "submitted": 1,
    }


@pytest.mark.parametrize(
    "status, expected",
    [
        ("assigned", ["overdue", "overdue_today", "none_old", "none_new"]),
        ("in_review", ["today"]),
        ("returned", ["week"]),
        ("submitted", ["later"]),
    ],
)
def test_filter_by_status(client, queue, reviewer, status, expected):
    client.force_login(reviewer)
    assert row_ids(client.get(URL, {"status": status})) == [queue[name].pk for name in expected]


@pytest.mark.parametrize(
    "due, expected",
    [
        ("overdue", ["overdue", "overdue_today"]),
        ("today", ["overdue_today", "today"]),
        ("week", ["overdue", "overdue_today", "today", "week"]),
        ("none", ["none_old", "none_new"]),
    ],
)
def test_filter_by_due_date(client, queue, reviewer, due, expected):
    client.force_login(reviewer)
    assert row_ids(client.get(URL, {"due": due})) == [queue[name].pk for name in expected]


def test_filter_by_article_offers_only_articles_with_my_open_assignments(
    client, queue, reviewer, other_reviewer, editor
):
    article = queue["overdue"].claim.article
    elsewhere = factories.ArticleFactory(title="Not my article")
    assign(other_reviewer, editor, "Theirs.", article=elsewhere)
    client.force_login(reviewer)
    response = client.get(URL, {"article": article.pk})
    assert row_ids(response) == [queue["overdue"].pk, queue["none_old"].pk]
    assert f'<option value="{article.pk}" selected>Schools report (2)</option>' in response.text
    assert "Not my article" not in response.text


def test_filters_combine(client, queue, reviewer):
    client.force_login(reviewer)
    response = client.get(URL, {"status": "assigned", "due": "today"})
    assert row_ids(response) == [queue["overdue_today"].pk]


def test_an_unknown_filter_value_filters_nothing(client, queue, reviewer, other_reviewer, editor):
    theirs = assign(other_reviewer, editor, "Theirs.")
    client.force_login(reviewer)
    response = client.get(URL, {"status": "approved", "due": "yesterday", "article": theirs.claim.article_id})
    assert response.status_code == 200
    assert row_ids(response) == [a.pk for a in queue.values()]


def test_no_match_says_so(client, queue, reviewer):
    client.force_login(reviewer)
    assert (
        "No open claims match these filters." in client.get(URL, {"status": "returned", "due": "none"}).text
    )


def test_pages_of_fifty_keep_the_filters(client, now, reviewer, editor):
    for i in range(60):
        assign(reviewer, editor, f"Claim number {i}.", opened_at=at(1) + datetime.timedelta(minutes=i))
    client.force_login(reviewer)
    first = client.get(URL, {"due": "none"})
    assert len(row_ids(first)) == 50
    assert "1–50 of 60" in first.text
    assert 'href="?due=none&amp;page=2"' in first.text
    second = client.get(URL, {"due": "none", "page": 2})
    assert len(row_ids(second)) == 10
    assert set(row_ids(first)).isdisjoint(row_ids(second))


def test_htmx_gets_the_list_fragment_only(client, queue, reviewer):
    client.force_login(reviewer)
    response = client.get(URL, {"status": "in_review"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="queue">')
    assert "<html" not in response.text
    assert "queue-filters" not in response.text
    assert row_ids(response) == [queue["today"].pk]
    assert "HX-Request" in response["Vary"]


def test_htmx_history_restore_gets_the_whole_page(client, queue, reviewer):
    client.force_login(reviewer)
    response = client.get(URL, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in response.text


def test_the_page_loads_the_keyboard_script_and_its_help(client, now, reviewer):
    client.force_login(reviewer)
    text = client.get(URL).text
    assert '<script src="/static/articles/queue.js" defer></script>' in text
    assert '<aside id="queue-keys" class="keys-help" hidden' in text
    assert "<script>" not in text


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={URL}"


def test_a_user_without_a_role_is_refused(client, outsider):
    client.force_login(outsider)
    assert client.get(URL).status_code == 403


@pytest.mark.parametrize("member", ["reviewer", "editor"])
def test_reviewers_and_editors_see_their_queue(client, request, member):
    client.force_login(request.getfixturevalue(member))
    response = client.get(URL)
    assert response.status_code == 200
    assert "Nothing assigned to you." in response.text
