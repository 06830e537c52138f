"""Django's admin (superusers only) reads everything but cannot move a claim outside its lifecycle.

Statuses, open assignments and the article's stored counts change together, through the
app's actions; an admin form or a revert from history that wrote one of them alone
would leave the desk's figures and the article's progress wrong.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from articles.models import Article, Claim

from .conftest import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned(editor, reviewer) -> Claim:
    article = make_article(2)
    claim = article.claims.order_by("start").first()
    claim.assign_to(reviewer, by=editor)
    return claim


def test_the_claim_form_shows_status_without_an_input_and_ignores_a_posted_one(client, superuser, assigned):
    client.force_login(superuser)
    url = reverse("admin:articles_claim_change", args=[assigned.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="status"' not in page.text
    assert 'name="text"' in page.text  # the text can still be corrected here
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(text="Corrected by an admin.", status="approved", article=assigned.article_id)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assigned.refresh_from_db()
    assert assigned.text == "Corrected by an admin."
    assert assigned.status == Claim.Status.ASSIGNED


def test_assignment_and_article_count_fields_are_read_only(client, superuser, assigned):
    client.force_login(superuser)
    page = client.get(reverse("admin:articles_assignment_change", args=[assigned.open_assignment().pk]))
    for name in ("claim", "reviewer", "closed_at", "close_reason"):
        assert f'name="{name}"' not in page.text
    page = client.get(reverse("admin:articles_article_change", args=[assigned.article_id]))
    for name in ("n_new", "n_assigned", "progress"):
        assert f'name="{name}"' not in page.text


def test_reverting_from_history_is_refused(client, superuser, assigned):
    client.force_login(superuser)
    first = assigned.history.order_by("history_id").first()  # when it was new
    url = reverse("admin:articles_claim_simple_history", args=[assigned.pk, first.history_id])
    assert client.get(url).status_code == 200  # reading an old version is fine
    assert client.post(url, {"text": first.text}).status_code == 403
    assigned.refresh_from_db()
    assert assigned.status == Claim.Status.ASSIGNED
    assert Article.objects.get(pk=assigned.article_id).n_assigned == 1
