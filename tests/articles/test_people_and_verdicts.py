from __future__ import annotations

import pytest
from django.urls import reverse

from articles.models import Verdict
from verify.accounts.models import User

from .. import factories

pytestmark = pytest.mark.django_db


def test_an_admin_creates_a_reviewer_who_gets_a_password_link(client, admin_member, settings):
    client.force_login(admin_member)
    response = client.post(
        reverse("articles:people"),
        {"username": "nina", "email": "nina@example.org", "first_name": "Nina", "roles": ["Reviewer"]},
    )
    assert response.status_code == 302
    nina = User.objects.get(username="nina")
    assert not nina.has_usable_password()
    assert nina.has_perm("articles.view_desk") and not nina.has_perm("articles.work_desk")
    from pathlib import Path

    mail = "".join(p.read_text() for p in Path(settings.MAILERS["default"]["OPTIONS"]["file_path"]).iterdir())
    assert "nina@example.org" in mail
    assert "/password/reset/" in mail
    last = nina.history.first()
    assert last.history_user == admin_member
    assert last.history_change_reason == "roles: Reviewer"


def test_an_admin_changes_roles_and_the_change_is_recorded(client, admin_member, reviewer):
    client.force_login(admin_member)
    client.post(
        reverse("articles:person_edit", args=[reviewer.pk]),
        {"email": reviewer.email, "roles": ["Reviewer", "Editor"], "is_active": "on"},
    )
    reviewer = User.objects.get(pk=reviewer.pk)
    assert reviewer.has_perm("articles.work_desk")
    assert reviewer.history.first().history_change_reason == "roles: Editor, Reviewer"


def test_an_admin_cannot_remove_their_own_admin_role(client, admin_member):
    client.force_login(admin_member)
    response = client.post(
        reverse("articles:person_edit", args=[admin_member.pk]),
        {"email": admin_member.email, "roles": ["Editor"], "is_active": "on"},
    )
    assert response.status_code == 200
    assert "cannot remove your own Admin role" in response.text
    assert User.objects.get(pk=admin_member.pk).has_perm("articles.manage_newsroom")


def test_a_verdict_in_use_cannot_be_deleted(client, admin_member, verdicts):
    factories.ReviewFactory(verdict=verdicts["False"])
    client.force_login(admin_member)
    client.post(reverse("articles:verdict_delete", args=[verdicts["False"].pk]), follow=True)
    assert Verdict.objects.filter(name="False").exists()
    client.post(reverse("articles:verdict_delete", args=[verdicts["Mixed"].pk]))
    assert not Verdict.objects.filter(name="Mixed").exists()


def test_an_archived_verdict_is_not_offered_for_new_reviews(verdicts):
    from articles.forms import ReviewForm

    verdicts["Mixed"].archived = True
    verdicts["Mixed"].save()
    names = [v.name for v in ReviewForm().fields["verdict"].queryset]
    assert "Mixed" not in names and "True" in names


def test_newsroom_settings_refuse_a_threshold_outside_0_1(client, admin_member):
    client.force_login(admin_member)
    response = client.post(
        reverse("articles:newsroom_settings"),
        {"name": "Desk", "base_url": "https://verify.example.org", "claim_threshold": "1.5"},
    )
    assert response.status_code == 200
    assert "between 0 and 1" in response.text
