"""The curation actions over HTTP: editors only, plain forms without JavaScript, htmx partials with it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from articles.models import Article, Claim, content_hash
from articles.services.claims import store_extracted_claims

from .test_curation import BODY, claim_at

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def article(editor) -> Article:
    article = Article.objects.create(title="Economy", body=BODY, content_hash=content_hash(BODY))
    store_extracted_claims(article=article, by=editor)
    return article


def actions(article: Article) -> list[tuple[str, dict, object]]:
    """(url, POST data, check that the action happened) for every curation action."""
    exports = claim_at(article, "Exports rose")
    jobs = claim_at(article, "Unemployment fell")
    candidate = claim_at(article, "Read more")
    start = BODY.index("4.1% in March")
    return [
        (
            reverse("articles:claim_edit", args=[exports.pk]),
            {"text": "Exports rose in 2023."},
            lambda: Claim.objects.get(pk=exports.pk).text == "Exports rose in 2023.",
        ),
        (
            reverse("articles:claim_split", args=[jobs.pk]),
            {"before": "the statistics"},
            lambda: Claim.objects.filter(derived_from=jobs.pk).exists(),
        ),
        (
            reverse("articles:claim_merge", args=[jobs.pk]),
            {"with": exports.pk},
            lambda: not Claim.objects.filter(pk=exports.pk).exists(),
        ),
        (
            reverse("articles:claim_discard", args=[exports.pk]),
            {"reason": "dup"},
            lambda: Claim.objects.get(pk=exports.pk).status == "discarded",
        ),
        (
            reverse("articles:claim_promote", args=[candidate.pk]),
            {},
            lambda: Claim.objects.get(pk=candidate.pk).status == "new",
        ),
        (
            reverse("articles:claim_add", args=[article.pk]),
            {"start": start, "end": start + 13},
            lambda: article.claims.filter(origin="added").exists(),
        ),
        (
            reverse("articles:claims_bulk", args=[article.pk]),
            {"action": "promote", "claims": [candidate.pk]},
            lambda: Claim.objects.get(pk=candidate.pk).status == "new",
        ),
        (
            reverse("articles:article_reextract", args=[article.pk]),
            {},
            lambda: not Claim.objects.filter(pk=candidate.pk).exists(),
        ),
    ]


ACTION_NAMES = ["edit", "split", "merge", "discard", "promote", "add", "bulk", "reextract"]


@pytest.mark.parametrize("index", range(len(ACTION_NAMES)), ids=ACTION_NAMES)
@pytest.mark.parametrize("who", ["anonymous", "outsider", "reviewer"])
def test_only_editors_may_curate(client, article, request, who, index):
    url, data, happened = actions(article)[index]
    before = sorted(article.claims.values_list("pk", "status", "text", "start", "end"))
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    response = client.post(url, data)
    if who == "anonymous":
        assert response.status_code == 302 and "/login/" in response["Location"]
    else:
        assert response.status_code == 403
    assert sorted(article.claims.values_list("pk", "status", "text", "start", "end")) == before
    assert not happened()


@pytest.mark.parametrize("index", range(len(ACTION_NAMES)), ids=ACTION_NAMES)
@pytest.mark.parametrize("who", ["editor", "admin_member"])  # the Admin role includes the editor's work
def test_each_action_works_as_a_plain_form_and_returns_to_the_article(client, article, request, who, index):
    url, data, happened = actions(article)[index]
    client.force_login(request.getfixturevalue(who))
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("articles:article_detail", args=[article.pk]))
    assert happened()


@pytest.mark.parametrize("index", range(len(ACTION_NAMES)), ids=ACTION_NAMES)
def test_each_action_with_htmx_answers_the_curation_partial(client, article, editor, index):
    url, data, happened = actions(article)[index]
    client.force_login(editor)
    response = client.post(url, data, **HTMX)
    assert response.status_code == 200
    assert happened()
    assert response.text.lstrip().startswith('<div id="curation"')
    assert "<html" not in response.text
    assert 'class="messages' in response.text  # the outcome is said in place


def test_the_editor_page_works_without_javascript_and_loads_in_place_with_htmx(client, article, editor):
    claim = claim_at(article, "Exports rose")
    client.force_login(editor)
    page = client.get(reverse("articles:claim_edit", args=[claim.pk]))
    assert "<html" in page.text and 'name="text"' in page.text and "Split in two" in page.text
    partial = client.get(reverse("articles:claim_edit", args=[claim.pk]), **HTMX)
    assert partial.text.lstrip().startswith(f'<div id="editor-{claim.pk}"')


def test_a_stale_edit_keeps_the_editors_text_and_says_what_changed(client, article, editor, other_editor):
    claim = claim_at(article, "Exports rose")
    seen = claim.text
    client.force_login(other_editor)
    client.post(reverse("articles:claim_edit", args=[claim.pk]), {"text": "Theirs.", "seen_text": seen})
    client.force_login(editor)
    response = client.post(
        reverse("articles:claim_edit", args=[claim.pk]),
        {"text": "Mine, carefully.", "seen_text": seen},
        **HTMX,
    )
    assert response["HX-Retarget"] == f"#editor-{claim.pk}"
    assert "emma_editor changed this claim" in response.text
    assert "Mine, carefully.</textarea>" in response.text
    assert "“Theirs.”" in response.text
    assert Claim.objects.get(pk=claim.pk).text == "Theirs."


def test_a_claim_is_added_from_pasted_text_without_javascript(client, article, editor):
    client.force_login(editor)
    response = client.post(
        reverse("articles:claim_add", args=[article.pk]), {"start": "", "end": "", "text": "4.1%  in March"}
    )
    claim = article.claims.get(origin="added")
    assert response["Location"].endswith(f"#claim-{claim.pk}")
    assert claim.text == "4.1% in March"


def test_refusals_are_messages_on_the_article_page(client, article, editor):
    client.force_login(editor)
    response = client.post(
        reverse("articles:claim_add", args=[article.pk]), {"text": "Not in the text"}, follow=True
    )
    assert "That text is not in the article" in response.text
    response = client.post(
        reverse("articles:claims_bulk", args=[article.pk]), {"action": "discard"}, follow=True
    )
    assert "Tick the claims" in response.text


def test_the_article_page_marks_claims_in_the_text_and_links_both_ways(client, article, editor):
    client.force_login(editor)
    page = client.get(reverse("articles:article_detail", args=[article.pk])).text
    listed = article.claims.exclude(status__in=["candidate", "discarded"])
    for claim in listed:
        assert f'id="text-{claim.pk}"' in page  # where the list's number links to
        assert f'href="#claim-{claim.pk}"' in page  # the text's reference back
        assert f'href="#text-{claim.pk}"' in page
    candidate = claim_at(article, "Read more")
    assert f'id="text-{candidate.pk}"' not in page
    shown = client.get(reverse("articles:article_detail", args=[article.pk]) + "?candidates=1").text
    assert f'id="text-{candidate.pk}"' in shown and "Candidates (" in shown


def test_the_text_keeps_every_character_and_escapes_markup(client, editor):
    body = (
        'Officials said <script>alert(1)</script> 5 people & "others" died in 2020.\n\nSecond paragraph here.'
    )
    article = Article.objects.create(title="X", body=body, content_hash=content_hash(body))
    store_extracted_claims(article=article, by=editor)
    client.force_login(editor)
    page = client.get(reverse("articles:article_detail", args=[article.pk])).text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_every_form_on_the_article_page_posts_to_its_own_claim(client, article, editor, reviewer):
    """Each claim's forms name that claim's URL in `action` and in `hx-post`: never empty (a
    `{% url ... as %}` that failed would post to the page itself) and never another claim's."""
    new, other = article.claims.filter(status="new").order_by("start")[:2]
    other.assign_to(reviewer, by=editor)  # an assigned claim shows reassign and unassign too
    client.force_login(editor)
    page = client.get(reverse("articles:article_detail", args=[article.pk]) + "?candidates=1").text
    assert 'action=""' not in page and 'hx-post=""' not in page and 'hx-get=""' not in page
    for claim, name in [(new, "claim_assign"), (new, "claim_discard"), (other, "claim_reassign"),
                        (other, "claim_unassign")]:  # fmt: skip
        url = reverse(f"articles:{name}", args=[claim.pk])
        assert f'action="{url}"' in page and f'hx-post="{url}"' in page, name
