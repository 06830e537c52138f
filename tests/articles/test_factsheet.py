from __future__ import annotations

import json

import pytest
from django.urls import reverse

from articles.exporters import EXPORTERS, md_escape
from articles.services.reviews import SourceInput, approve_claim, save_review

from .. import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved_article(editor, other_editor, reviewer, verdicts):
    article = factories.ArticleFactory(title="Budget [speech](javascript:alert(1))")
    approved = factories.ClaimFactory(article=article, text="Unemployment fell to 4.1% in <b>2024</b>.")
    pending = factories.ClaimFactory(article=article, text="Exports doubled in a decade.")
    approved.assign_to(reviewer, by=editor)
    pending.assign_to(reviewer, by=editor)
    save_review(
        claim=approved,
        reviewer=reviewer,
        verdict=verdicts["Mostly true"],
        confidence=85,
        summary="ONS labour figures show 4.2%; close.",
        sources=[
            SourceInput(
                url="https://www.ons.gov.uk/lms", title="[click](https://evil.example)", excerpt="rate 4.2%"
            )
        ],
        submit=True,
    )
    approve_claim(claim=approved, editor=other_editor)
    return article


def test_markdown_holds_approved_claims_with_verdict_confidence_and_sources(client, editor, approved_article):
    client.force_login(editor)
    response = client.get(reverse("articles:factsheet_download", args=[approved_article.pk, "md"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="factsheet-')
    text = response.content.decode()
    assert "Unemployment fell to 4.1% in \\<b\\>2024\\</b\\>." in text
    assert "**Verdict:** Mostly true" in text
    assert "**Confidence:** 85/100" in text
    assert "<https://www.ons.gov.uk/lms>" in text
    assert "Exports doubled" not in text  # not approved yet


def test_markdown_escapes_scraped_text_so_it_cannot_inject_links(approved_article):
    from articles.services.factsheets import build_factsheet

    _, _, body = EXPORTERS["md"].render(build_factsheet(article=approved_article))
    text = body.decode()
    assert "](javascript:" not in text
    assert "[click](https://evil.example)" not in text
    assert md_escape("[a](b) <i>") == "\\[a\\]\\(b\\) \\<i\\>"


def test_json_holds_the_same_facts(client, editor, approved_article, reviewer):
    client.force_login(editor)
    response = client.get(reverse("articles:factsheet_download", args=[approved_article.pk, "json"]))
    data = json.loads(response.content)
    assert data["schema_version"] == 1
    assert [c["verdict"]["name"] for c in data["claims"]] == ["Mostly true"]
    claim = data["claims"][0]
    assert claim["confidence"] == 85
    assert claim["reviewer"] == str(reviewer)
    assert claim["sources"][0]["url"] == "https://www.ons.gov.uk/lms"


def test_unknown_format_is_404(client, editor, approved_article):
    client.force_login(editor)
    assert (
        client.get(reverse("articles:factsheet_download", args=[approved_article.pk, "exe"])).status_code
        == 404
    )
