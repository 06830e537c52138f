"""Publishing the sample article's fact sheet in real Chromium, then reading it logged out."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect

from articles.models import Article, Claim, content_hash
from articles.services.claims import store_extracted_claims

from ..articles.test_publishing import check
from .test_walkthrough import log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_publish_the_sample_sheet_and_read_it_logged_out(
    page: Page, live_server, csp_watch, editor, reviewer, verdicts, sample_text, tmp_path
):
    article = Article.objects.create(
        title="Putin signs law allowing foreigners to enlist in Russian military",
        body=sample_text,
        content_hash=content_hash(sample_text),
        source_url="https://news.example/putin-law",
    )
    store_extracted_claims(article=article, by=editor)
    claims = list(article.claims.filter(status=Claim.Status.NEW))
    for claim in claims:
        check(claim, editor=editor, reviewer=reviewer, verdict=verdicts["Mostly true"])
    page.set_default_timeout(30_000)
    base = live_server.url

    log_in(page, base, editor)
    page.goto(f"{base}{article.get_absolute_url()}")
    page.locator("#publishing > summary").click()  # closed until a first version exists
    page.get_by_role("button", name="Publish the fact sheet").click()
    expect(page.get_by_text("Fact sheet published as version 1.")).to_be_visible()
    public_link = page.get_by_role("link", name="Version 1")
    public_path = public_link.get_attribute("href")

    for fmt, check_body in (
        ("PDF", lambda body: body.startswith(b"%PDF")),
        ("ClaimReview", lambda body: json.loads(body)),
    ):
        with page.expect_download() as info:
            page.get_by_role("link", name=re.compile(rf"^{fmt}")).first.click()
        path = tmp_path / info.value.suggested_filename
        info.value.save_as(path)
        assert check_body(path.read_bytes()), fmt

    log_out(page)
    page.goto(f"{base}{public_path}")
    expect(page.get_by_text(claims[0].text[:60])).to_be_visible()
    expect(page.get_by_text("Mostly true").first).to_be_visible()
    ld = page.locator('script[type="application/ld+json"]').first.text_content()
    reviews = json.loads(ld)
    nodes = reviews if isinstance(reviews, list) else reviews.get("@graph", [reviews])
    assert sum(1 for n in nodes if n.get("@type") == "ClaimReview") == len(claims)
    assert csp_watch.violations == []
