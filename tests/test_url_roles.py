"""Every URL pattern, for every role of the foundation's table, GET and POST.

The rule each view enforces is read from the view itself (`@access`), and the
public allow-list from `articles.permissions.PUBLIC_URL_NAMES`. Objects exist,
so a 404 can never pass for protection. A view added without a rule fails here.
"""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from articles.models import Claim, ExportJob, ImportItem, Notification, Publication, PublicationVersion
from articles.permissions import PUBLIC_URL_NAMES, Rule
from articles.services.factsheets import build_factsheet

from . import factories

CAST = ["anonymous", "outsider", "reviewer", "editor", "admin_member", "superuser"]

ALLOWED = {
    Rule.LOGGED_IN: {"outsider", "reviewer", "editor", "admin_member", "superuser"},
    Rule.ADMIN: {"admin_member", "superuser"},
    Rule.VIEW: {"reviewer", "editor", "admin_member", "superuser"},
    Rule.WORK: {"editor", "admin_member", "superuser"},
    Rule.SELF: {"reviewer", "editor", "admin_member", "superuser"},
    # Only the reviewer the claim is assigned to, whatever the others' roles.
    Rule.ASSIGNED_REVIEWER: {"reviewer"},
}


def app_patterns(resolver=None, namespace: str | None = None):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue  # Django's own admin: covered by test_django_admin_is_for_superusers_only
            ns = pattern.namespace or namespace
            yield from app_patterns(pattern, ns)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, pattern


ALL_PATTERNS = dict(app_patterns())


@pytest.fixture
def world(db, admin_member, editor, reviewer, outsider, superuser, verdicts):
    # The review's verdict is in use, so a permitted delete is refused, not a 404 for the next role.
    review = factories.ReviewFactory(
        assignment__reviewer=reviewer, assignment__assigned_by=editor, verdict=verdicts["True"]
    )
    claim = review.assignment.claim
    source = factories.SourceFactory(review=review)
    export = ExportJob.objects.create(
        created_by=editor, article_ids=[claim.article_id], formats=["md"], total=1, done=1, status="done"
    )
    export.file.save("export.zip", ContentFile(b"PK\x05\x06" + b"\x00" * 18))
    publication = Publication.objects.create(article=claim.article, slug="world-sheet")
    PublicationVersion.objects.create(
        publication=publication,
        number=1,
        snapshot=build_factsheet(article=claim.article).to_json(),
        published_by=editor,
        published_at=timezone.now(),
    )
    job = factories.ImportJobFactory(created_by=editor, status="done")
    ImportItem.objects.create(
        job=job, position=0, kind="text", label="row 2", text="Some text.", status="failed", error="Too short"
    )
    changed = ImportItem.objects.create(
        job=job,
        position=1,
        kind="url",
        label="https://news.example/a",
        url="https://news.example/a",
        status="changed",
        article=claim.article,
        text="The updated text of the article.",
    )
    users = {
        "outsider": outsider,
        "reviewer": reviewer,
        "editor": editor,
        "admin_member": admin_member,
        "superuser": superuser,
    }
    kwargs = {
        "article_id": claim.article_id,
        "claim_id": claim.pk,
        "job_id": job.pk,
        "fmt": "md",
        "user_id": outsider.pk,
        "verdict_id": verdicts["True"].pk,
        "item_id": changed.pk,
        "source_id": source.pk,
        "export_id": export.pk,
        "slug": publication.slug,
        "number": 1,
        "history_id": claim.history.first().history_id,
        "notification_id": Notification.objects.create(user=reviewer, message="Assigned").pk,
        "uidb64": "MQ",
        "token": "set-password",
    }
    return users, kwargs


def url_for(name: str, pattern: URLPattern, kwargs: dict) -> str:
    needed = (
        {key: kwargs[key] for key in pattern.pattern.converters}
        if hasattr(pattern.pattern, "converters")
        else {}
    )
    return reverse(name, kwargs=needed)


def test_every_view_declares_an_access_rule_or_is_public():
    missing = [
        name
        for name, pattern in ALL_PATTERNS.items()
        if name not in PUBLIC_URL_NAMES and not hasattr(pattern.callback, "access_rule")
    ]
    assert missing == [], f"views without an @access rule: {missing}"


def test_public_allow_list_names_only_existing_urls():
    assert set(ALL_PATTERNS) >= PUBLIC_URL_NAMES


@pytest.mark.parametrize("name", sorted(ALL_PATTERNS))
def test_url_answers_each_role_as_the_table_says(name, world, client):
    users, kwargs = world
    pattern = ALL_PATTERNS[name]
    url = url_for(name, pattern, kwargs)
    rule = getattr(pattern.callback, "access_rule", Rule.PUBLIC)
    login_prefix = reverse("login")
    for who in CAST:
        client.logout()
        if who != "anonymous":
            client.force_login(users[who])
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            where = f"{method.upper()} {url} as {who}"
            redirected_to_login = response.status_code == 302 and response["Location"].startswith(
                login_prefix
            )
            assert response.status_code != 500, where
            if rule is Rule.PUBLIC or name in PUBLIC_URL_NAMES:
                # Public pages answer everyone (logout may redirect to the login page).
                assert response.status_code not in (403, 404), where
            elif who == "anonymous":
                assert redirected_to_login, f"{where}: expected a login redirect, got {response.status_code}"
            elif who in ALLOWED[rule]:
                assert not redirected_to_login, where
                assert response.status_code not in (403, 404), f"{where}: got {response.status_code}"
            else:
                assert response.status_code == 403, f"{where}: expected 403, got {response.status_code}"


@pytest.mark.parametrize("who", ["anonymous", "outsider", "reviewer", "editor", "admin_member"])
def test_django_admin_is_for_superusers_only(who, world, client):
    users, _ = world
    if who != "anonymous":
        client.force_login(users[who])
    for url in (reverse("admin:index"), reverse("admin:articles_claim_changelist")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_django_admin_opens_for_a_superuser(world, client):
    users, _ = world
    client.force_login(users["superuser"])
    for url in (reverse("admin:index"), reverse("admin:articles_claim_changelist")):
        assert client.get(url).status_code == 200


def test_missing_objects_are_404_for_allowed_roles(world, client):
    users, _ = world
    client.force_login(users["editor"])
    assert client.get(reverse("articles:article_detail", args=[999999])).status_code == 404
    assert client.get(reverse("articles:job_detail", args=[999999])).status_code == 404
    assert client.post(reverse("articles:claim_assign", args=[999999])).status_code == 404
    client.force_login(users["reviewer"])
    assert client.get(reverse("articles:review_edit", args=[999999])).status_code == 404


def test_the_review_is_refused_to_an_editor_who_is_not_the_assignee(world, client):
    users, kwargs = world
    client.force_login(users["editor"])
    response = client.post(
        reverse("articles:review_edit", args=[kwargs["claim_id"]]), {"summary": "overwrite"}
    )
    assert response.status_code == 403
    assert Claim.objects.get(pk=kwargs["claim_id"]).status == Claim.Status.ASSIGNED
