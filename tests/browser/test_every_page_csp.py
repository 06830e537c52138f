"""Every main page under the production CSP in real Chromium, htmx interactions included.

The CSP does not depend on DEBUG (verify/settings.py `SECURE_CSP`); the live server runs with
DEBUG off, as production does. Each page must load with the enforcing header and record no
violation, and the htmx interactions on them must still work.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from articles.models import Article, Claim, Notification, content_hash
from articles.services.claims import store_extracted_claims
from articles.services.publishing import publish

from ..articles.test_publishing import check
from .test_walkthrough import log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_every_main_page_loads_under_the_csp_with_htmx_working(
    page: Page, live_server, csp_watch, editor, reviewer, admin_member, verdicts, sample_text
):
    article = Article.objects.create(
        title="Putin signs law",
        body=sample_text,
        content_hash=content_hash(sample_text),
        source_url="https://news.example/a",
    )
    store_extracted_claims(article=article, by=editor)
    claims = list(article.claims.filter(status=Claim.Status.NEW))
    check(claims[0], editor=editor, reviewer=reviewer, verdict=verdicts["Mostly true"])
    claims[1].assign_to(reviewer, by=editor)
    version = publish(article=article, by=editor, partial=True)
    Notification.objects.create(user=reviewer, message="Eddie assigned you a claim.", url="/my-claims/")
    base = live_server.url
    page.set_default_timeout(30_000)
    headers = []
    page.on(
        "response",
        lambda r: (
            headers.append(r.headers.get("content-security-policy", ""))
            if r.request.resource_type == "document"
            else None
        ),
    )

    log_in(page, base, editor)
    for path in [
        "/",
        f"/articles/{article.pk}/",
        f"/articles/{article.pk}/?candidates=1",
        f"/claims/{claims[0].pk}/",
        f"/claims/{claims[0].pk}/history/",
        f"/claims/{claims[0].pk}/comments/",
        f"/claims/{claims[2].pk}/edit/",
        "/desk/",
        "/my-claims/",
        "/notifications/",
        "/jobs/",
        "/import/",
        "/exports/",
        f"/articles/{article.pk}/factsheet.html",
    ]:
        page.goto(base + path)
        expect(page.locator("body")).to_be_visible()
    # htmx in place: the desk filter and a curation action.
    page.goto(base + "/desk/")
    page.select_option("#id_status", "assigned")
    expect(page).to_have_url(re.compile(r"status=assigned"))
    page.goto(base + f"/articles/{article.pk}/")
    page.locator(f"#claim-{claims[3].pk}").get_by_role("link", name="Edit or split").click()
    expect(page.locator(f"#editor-{claims[3].pk} textarea[name=text]")).to_be_visible()
    log_out(page)

    log_in(page, base, admin_member)
    for path in ["/settings/", "/settings/people/", "/settings/verdicts/"]:
        page.goto(base + path)
        expect(page.locator("body")).to_be_visible()
    log_out(page)

    log_in(page, base, reviewer)
    page.goto(base + f"/claims/{claims[1].pk}/review/")
    page.fill("input[name=new-url]", "https://stats.example.org/table")
    page.get_by_role("button", name="Add source").click()
    expect(page.locator("#sources")).to_contain_text("stats.example.org")  # swapped in by htmx
    log_out(page)

    page.goto(base + version.get_absolute_url())  # the public page, logged out
    expect(page.locator("h1")).to_be_visible()

    assert headers and all("script-src 'self'" in h and "style-src 'self'" in h for h in headers), headers
    assert csp_watch.violations == []
