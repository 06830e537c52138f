"""The fact-sheet page in Chromium: hostile claim text stays text, the JSON-LD stays JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, expect

from articles.exporters import render_sheet_html
from articles.services.factsheets import FactSheet, SheetClaim, SheetSource, SheetVerdict
from articles.services.reviews import SourceInput, approve_claim, save_review

from .. import factories

pytestmark = pytest.mark.browser

PAYLOAD = "</script><script>alert(1)</script>"
HOSTILE = f"The deal saved {PAYLOAD} 200 jobs <img src=x onerror=alert(2)>."


def hostile_sheet() -> FactSheet:
    verdict = SheetVerdict("False", 1, "#cf222e", "The claim is inaccurate.")
    source = SheetSource(url="https://stats.example/a", title=f"Stats {PAYLOAD}", excerpt=PAYLOAD)
    return FactSheet(
        newsroom=f"Newsroom {PAYLOAD}",
        newsroom_url="https://verify.example.org",
        article_id=1,
        title=f"Budget {PAYLOAD}",
        source_url="https://news.example/a",
        byline="",
        site_name="",
        article_published_at=None,
        generated_at=datetime(2025, 3, 4, 9, 0, tzinfo=UTC),
        best_rating=5,
        worst_rating=1,
        claims=[
            SheetClaim(
                id=1,
                position=1,
                text=HOSTILE,
                status="approved",
                attribution=f"Jane {PAYLOAD}",
                verdict=verdict,
                confidence=90,
                summary=f"Records show otherwise {PAYLOAD}",
                sources=[source],
            )
        ],
        public_url="https://verify.example.org/f/budget/v1/",
        version=1,
        published_at=datetime(2025, 3, 4, 9, 0, tzinfo=UTC),
    )


def test_claim_text_cannot_break_out_of_the_json_ld_script(page: Page):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.set_content(render_sheet_html(hostile_sheet(), for_print=False))

    assert page.locator("script").count() == 1
    data = json.loads(
        page.evaluate("JSON.stringify(JSON.parse(document.querySelector('script').textContent))")
    )
    assert data["@graph"][0]["claimReviewed"] == HOSTILE
    assert data["@graph"][0]["reviewRating"]["ratingExplanation"] == f"Records show otherwise {PAYLOAD}"
    expect(page.locator("#claim-1 .claim-text")).to_have_text(HOSTILE)
    assert page.locator("img").count() == 0
    page.wait_for_timeout(200)  # a dialog would have been raised while parsing
    assert dialogs == []


@pytest.mark.django_db(transaction=True)
def test_the_in_app_preview_is_styled_within_the_csp(
    page: Page, live_server, csp_watch, editor, other_editor, reviewer, verdicts
):
    article = factories.ArticleFactory(title="Budget speech")
    claim = factories.ClaimFactory(article=article, text=HOSTILE, end=len(HOSTILE))
    claim.assign_to(reviewer, by=editor)
    save_review(
        claim=claim,
        reviewer=reviewer,
        verdict=verdicts["False"],
        confidence=90,
        summary="Records show otherwise.",
        sources=[SourceInput(url="https://stats.example/a", title="Stats")],
        submit=True,
    )
    approve_claim(claim=claim, editor=other_editor)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    page.goto(live_server.url + "/login/")
    page.fill("input[name=username]", editor.username)
    page.fill("input[name=password]", "correct-horse-battery")
    page.click("button[type=submit]")
    page.goto(live_server.url + article.get_absolute_url())
    page.get_by_role("link", name="HTML (preview)").click()

    expect(page.locator(".claim-text")).to_have_text(HOSTILE)
    badge = page.locator(".badge")
    expect(badge).to_have_text("False")
    # The stylesheet loaded under the CSP: the lowest verdict's badge is red (tone-1).
    expect(badge).to_have_css("color", "rgb(207, 34, 46)")
    json.loads(page.locator('script[type="application/ld+json"]').text_content())
    assert dialogs == []
    assert csp_watch.violations == []
