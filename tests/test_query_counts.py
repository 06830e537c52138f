"""Queries per page stay constant as data grows (no N+1)."""

from __future__ import annotations

import datetime
from datetime import timedelta

import factory
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Assignment, Claim, Comment, ImportItem
from articles.models.claim import recount_article
from articles.services.curation import edit_claim
from articles.services.reviews import save_review

from . import factories
from .conftest import make_article

pytestmark = pytest.mark.django_db


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def assign_all(article, reviewer, editor):
    claims = list(article.claims.all())
    Claim.objects.filter(pk__in=[c.pk for c in claims]).update(status=Claim.Status.ASSIGNED)
    Assignment.objects.bulk_create(
        [Assignment(claim=c, reviewer=reviewer, assigned_by=editor) for c in claims]
    )
    return claims


@pytest.mark.parametrize("show_candidates", [False, True])
@pytest.mark.parametrize("n", [10, 500])
def test_article_page_query_count(client, editor, reviewer, n, show_candidates, django_assert_num_queries):
    """Every kind of claim at once: assigned, new, candidates and discarded, in the text and the lists."""
    article = make_article(n)
    claims = list(article.claims.order_by("start"))
    assign_all_claims = claims[: n // 4]
    Claim.objects.filter(pk__in=[c.pk for c in claims[n // 4 : n // 2]]).update(status=Claim.Status.CANDIDATE)
    Claim.objects.filter(pk__in=[c.pk for c in claims[n // 2 : 3 * n // 4]]).update(
        status=Claim.Status.DISCARDED
    )
    Claim.objects.filter(pk__in=[c.pk for c in assign_all_claims]).update(status=Claim.Status.ASSIGNED)
    Assignment.objects.bulk_create(
        [Assignment(claim=c, reviewer=reviewer, assigned_by=editor) for c in assign_all_claims]
    )
    client.force_login(editor)
    url = reverse("articles:article_detail", args=[article.pk]) + ("?candidates=1" if show_candidates else "")
    # session, user, permissions (2), article, all its claims, their open assignments, reviewers, versions
    with django_assert_num_queries(9):
        response = client.get(url)
    discarded = 3 * n // 4 - n // 2
    candidates = n // 2 - n // 4
    listed = n - discarded - (0 if show_candidates else candidates)
    assert response.text.count('class="claim status-') == listed + discarded
    assert response.text.count('<span class="anchor" id="text-') == listed


@pytest.mark.parametrize("n", [10, 500])
def test_my_claims_query_count(client, editor, reviewer, n, django_assert_num_queries):
    """The queue keeps its number of queries at any size: counts are aggregates, rows a page of 50."""
    article = make_article(n)
    claims = assign_all(article, reviewer, editor)
    Assignment.objects.filter(claim__in=claims[: n // 2]).update(due_at=timezone.now() - timedelta(days=1))
    client.force_login(reviewer)
    url = reverse("articles:my_claims")
    # session, user, permissions (2), article choices, page count, page rows, queue counts
    with django_assert_num_queries(8):
        response = client.get(url, {"due": "overdue", "article": article.pk})
    assert response.text.count("/review/") == min(n // 2, 50)
    assert response.text.count('<td class="due overdue">') == min(n // 2, 50)
    # The fragment leaves out the counts.
    with django_assert_num_queries(7):
        response = client.get(url, {"status": "assigned"}, headers={"HX-Request": "true"})
    assert response.text.count("/review/") == min(n, 50)


@pytest.mark.parametrize("n", [5, 50])
def test_job_page_query_count(client, editor, n, django_assert_num_queries):
    article = make_article(n)
    job = factories.ImportJobFactory(created_by=editor, status="done")
    ImportItem.objects.bulk_create(
        [
            ImportItem(
                job=job,
                position=i,
                kind="text",
                label=f"row {i}",
                status="failed" if i % 2 else "done",
                article=article,
                error="x",
            )
            for i in range(n)
        ]
    )
    client.force_login(editor)
    # session, user, permissions (2), job, status counts, problem items, page count, page items
    with django_assert_num_queries(9):
        page = client.get(reverse("articles:job_detail", args=[job.pk]))
    assert page.text.count('class="item-failed"') == n // 2 * 2  # in "needs attention" and the table
    with django_assert_num_queries(7):
        client.get(reverse("articles:job_detail", args=[job.pk]), headers={"HX-Request": "true"})


@pytest.mark.parametrize("n", [5, 50])
def test_review_form_query_count(client, editor, reviewer, verdicts, n, django_assert_num_queries):
    article = make_article(n)
    claims = assign_all(article, reviewer, editor)
    review = factories.ReviewFactory(assignment=claims[0].assignments.get())
    factories.SourceFactory.create_batch(3, review=review)
    client.force_login(reviewer)
    # the same ten as at any number of sources (below): the article's size adds none
    with django_assert_num_queries(10):
        client.get(reverse("articles:review_edit", args=[claims[0].pk]))


def spread_over_reviewers(article, editor, reviewers):
    """A quarter of the claims stay new; the rest go to the reviewers in turn, every other one overdue."""
    now = timezone.now()
    claims = list(article.claims.order_by("start"))
    held = claims[len(claims) // 4 :]
    Claim.objects.filter(pk__in=[c.pk for c in held]).update(status=Claim.Status.ASSIGNED)
    Assignment.objects.bulk_create(
        [
            Assignment(
                claim=claim,
                reviewer=reviewers[i % len(reviewers)],
                assigned_by=editor,
                due_at=now + datetime.timedelta(days=-1 if i % 2 else 1),
            )
            for i, claim in enumerate(held)
        ]
    )
    recount_article(article.pk)
    return held


@pytest.mark.parametrize("n", [10, 500])
def test_desk_query_count(client, editor, reviewer, other_reviewer, n, django_assert_num_queries):
    article = make_article(n)
    third = factories.UserFactory(username="tess_reviewer", roles=["Reviewer"])
    held = spread_over_reviewers(article, editor, [reviewer, other_reviewer, third])
    client.force_login(editor)
    # session, user, permissions (2), reviewers, new claims, open assignments per reviewer (which
    # also count those with a due date), the list's count of claims without one, the page's ids
    # from each half, its rows with their holders' open assignments (DeskList)
    with django_assert_num_queries(11):
        response = client.get(reverse("articles:desk"))
    assert len(response.context["page"]) == min(n, 25)
    assert response.context["page"].paginator.count == n  # every claim is open work
    assert response.context["summary"].overdue == len(held) // 2
    assert sum(load.open for load in response.context["loads"]) == len(held)
    # the htmx partial: no summary, no loads; a deep page costs the same as the first
    with django_assert_num_queries(10):
        client.get(reverse("articles:desk"), {"due": "overdue"}, headers={"HX-Request": "true"})
    with django_assert_num_queries(10):
        client.get(reverse("articles:desk"), {"page": "last"}, headers={"HX-Request": "true"})


@pytest.mark.parametrize("n", [5, 60])
def test_article_list_query_count(client, editor, n, django_assert_num_queries):
    factories.ArticleFactory.create_batch(n, created_by=editor)
    client.force_login(editor)
    # session, user, permissions (2), article count, the page's ids, its rows, recent jobs
    with django_assert_num_queries(8):
        response = client.get(reverse("articles:dashboard"))
    assert len(response.context["page"]) == min(n, 50)
    newest_first = list(Article.objects.order_by("-created_at", "-id").values_list("pk", flat=True))
    assert [a.pk for a in response.context["page"]] == newest_first[:50]
    if n > 50:
        with django_assert_num_queries(8):  # a later page costs the same
            response = client.get(reverse("articles:dashboard"), {"page": 2})
        assert [a.pk for a in response.context["page"]] == newest_first[50:]


def reviewed_claim(editor, reviewer, verdict, *, sources: int):
    """A claim in review with a draft carrying `sources` sources of mixed stance."""
    claim = factories.ClaimFactory()
    claim.assign_to(reviewer, by=editor)
    review = factories.ReviewFactory(assignment=claim.open_assignment(), verdict=verdict)
    factories.SourceFactory.create_batch(
        sources,
        review=review,
        stance=factory.Iterator(["supports", "refutes", "context"]),
        excerpt="Table 3, row 2.",
    )
    return claim


@pytest.mark.parametrize("n", [2, 50])
def test_review_page_query_count_at_any_number_of_sources(
    client, editor, reviewer, verdicts, n, django_assert_num_queries
):
    claim = reviewed_claim(editor, reviewer, verdicts["Mixed"], sources=n)
    for i in range(n):
        Comment.objects.create(claim=claim, author=[editor, reviewer][i % 2], body=f"@{editor.username} {i}?")
    client.force_login(reviewer)
    # session, user, permissions (2), claim with its article, open assignment, review with its
    # verdict, sources, comments with their authors, verdict choices
    with django_assert_num_queries(10):
        response = client.get(reverse("articles:review_edit", args=[claim.pk]))
    assert response.text.count('class="source stance-') == n
    assert response.text.count('class="comment"') == n


@pytest.mark.parametrize("n", [2, 50])
def test_claim_page_query_count_at_any_number_of_sources(
    client, editor, reviewer, verdicts, n, django_assert_num_queries
):
    claim = reviewed_claim(editor, reviewer, verdicts["Mixed"], sources=n)
    client.force_login(editor)
    # session, user, permissions (2), claim with its article, latest assignment with its people,
    # review and verdict, its sources, comments
    with django_assert_num_queries(8):
        response = client.get(reverse("articles:claim_detail", args=[claim.pk]))
    assert response.text.count('class="source stance-') == n


@pytest.mark.parametrize("n", [2, 50])
def test_history_tab_query_count_at_any_number_of_rows(
    client, editor, reviewer, verdicts, n, django_assert_num_queries
):
    claim = reviewed_claim(editor, reviewer, None, sources=n)
    scale = [verdicts[name] for name in ("True", "Mixed", "False")]
    for i in range(n):
        edit_claim(claim_id=claim.pk, text=f"The ministry said that {i} new schools opened.", by=editor)
        save_review(
            claim=claim,
            reviewer=reviewer,
            verdict=scale[i % 3],
            confidence=i,
            summary=f"Draft {i}",
            submit=False,
        )
    client.force_login(reviewer)
    # session, user, permissions (2), claim with its article, then the history of the claim,
    # its assignments, reviews and sources (each with its people and verdicts), open assignment
    with django_assert_num_queries(10):
        response = client.get(reverse("articles:claim_history", args=[claim.pk]))
    assert response.text.count("<del>Draft ") == n - 1
    assert response.text.count('class="event-source"') == n
    assert response.text.count("Restore this draft") >= n - 1
