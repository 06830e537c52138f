"""`generate_archive`: a small archive is consistent in every way the app relies on."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q
from django.urls import reverse

from articles.models import Article, Assignment, Claim, Comment, ImportJob, Review, Source
from articles.models.article import COUNT_FIELDS
from articles.models.claim import recount_article
from verify.accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive() -> str:
    out = StringIO()
    call_command("generate_archive", articles=20, claims=500, reviewers=5, seed=7, stdout=out)
    return out.getvalue()


def test_counts_match(archive):
    assert Article.objects.count() == 20
    assert Claim.objects.count() == 500
    assert "Done in" in archive and "500 claims" in archive
    statuses = set(Claim.objects.values_list("status", flat=True))
    # Every status of the workflow is represented, even in a small archive.
    assert {"candidate", "new", "discarded", "approved", "not_checkable"} <= statuses
    assert ImportJob.objects.filter(label__startswith="Generated archive: 20 articles, 500 claims").exists()


def test_stored_counts_equal_a_recount(archive):
    before = {a.pk: [getattr(a, f) for f in (*COUNT_FIELDS, "progress")] for a in Article.objects.all()}
    for pk in before:
        recount_article(pk)
    after = {a.pk: [getattr(a, f) for f in (*COUNT_FIELDS, "progress")] for a in Article.objects.all()}
    assert before == after


def test_offsets_index_the_body(archive):
    claims = Claim.objects.select_related("article").filter(origin=Claim.Origin.EXTRACTED)
    assert claims.count() == 500
    for claim in claims:
        assert claim.article.body[claim.start : claim.end] == claim.text
    assert len(set(Article.objects.values_list("content_hash", flat=True))) == 20


def test_work_matches_statuses(archive):
    open_statuses = ["assigned", "in_review", "returned", "submitted"]
    # One open assignment for each claim in open work, none for the others.
    assert (
        not Claim.objects.filter(status__in=open_statuses)
        .exclude(assignments__closed_at__isnull=True)
        .exists()
    )
    assert (
        Assignment.objects.filter(closed_at__isnull=True).count()
        == Claim.objects.filter(status__in=open_statuses).count()
    )
    assert not Claim.objects.filter(status="approved").exclude(assignments__close_reason="approved").exists()
    # Submitted and approved claims carry a submitted review with a verdict and sources.
    done = Review.objects.filter(assignment__claim__status__in=["submitted", "approved"])
    assert done.exists() and not done.exclude(state="submitted").exists()
    assert not done.filter(verdict__isnull=True).exists()
    assert not done.annotate(n=Count("sources")).filter(n=0).exists()
    assert Source.objects.exists() and Comment.objects.exists()


def test_history_rows(archive):
    assert Claim.history.filter(history_type="+").count() == 500
    moved = Claim.objects.exclude(status__in=["candidate", "new"]).count()
    assert Claim.history.filter(history_type="~").count() == moved
    assert Assignment.history.count() == Assignment.objects.count()
    assert Review.history.count() == Review.objects.count()
    assert Article.history.count() == 20


def test_people_and_dates(archive, client):
    editors = User.objects.filter(groups__name="Editor", username__startswith="archive-")
    reviewers = User.objects.filter(groups__name="Reviewer", username__startswith="archive-")
    assert editors.count() == 2 and reviewers.count() == 5
    # Dates are spread over years and ids grow with them.
    dates = list(Article.objects.order_by("id").values_list("created_at", flat=True))
    assert dates == sorted(dates) and (dates[-1] - dates[0]).days > 300
    assert not Assignment.objects.filter(
        Q(closed_at__isnull=False) & Q(closed_at__lt=F("opened_at"))
    ).exists()
    # The pages render over the generated data.
    client.force_login(editors.first())
    for url in [reverse("articles:dashboard"), reverse("articles:desk")]:
        assert client.get(url).status_code == 200
    assignment = Assignment.objects.filter(closed_at__isnull=True).select_related("claim").first()
    claim = assignment.claim
    client.force_login(assignment.reviewer)
    assert client.get(reverse("articles:my_claims")).status_code == 200
    assert client.get(reverse("articles:review_edit", args=[claim.pk])).status_code == 200
    assert client.get(reverse("articles:article_detail", args=[claim.article_id])).status_code == 200


def test_generate_twice_adds_a_second_archive():
    call_command("generate_archive", articles=3, claims=30, reviewers=2, stdout=StringIO())
    call_command("generate_archive", articles=3, claims=30, reviewers=2, stdout=StringIO())
    assert Article.objects.count() == 6 and Claim.objects.count() == 60
