"""The desk's filters in real Chromium: htmx swaps the claims in place and keeps the URL."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from articles.models.claim import recount_article

from ..conftest import make_article
from .test_walkthrough import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_filter_the_desk_in_place(page: Page, live_server, csp_watch, editor, reviewer, other_reviewer):
    article = make_article(4, title="Budget speech")
    recount_article(article.pk)
    c = list(article.claims.order_by("start"))
    c[0].assign_to(reviewer, by=editor, due_at=timezone.now() - datetime.timedelta(days=1))
    c[1].assign_to(other_reviewer, by=editor)
    page.set_default_timeout(30_000)
    log_in(page, live_server.url, editor)
    page.get_by_role("link", name="Desk").click()
    rows = page.locator("#desk-claims tbody tr")
    expect(rows).to_have_count(4)
    expect(page.locator("tr.overdue")).to_have_count(1)

    heading = page.get_by_role("heading", name="Reviewers")
    heading.evaluate("h => h.dataset.kept = 'yes'")  # gone if the whole page reloads
    page.select_option("#id_reviewer", str(other_reviewer.pk))
    expect(rows).to_have_count(1)
    expect(page).to_have_url(f"{live_server.url}/desk/?article=&reviewer={other_reviewer.pk}&status=&due=")
    expect(page.locator(f"#claim-{c[1].pk}")).to_be_visible()

    page.locator(f"#load-{reviewer.pk}").get_by_role("link", name=str(reviewer)).click()
    expect(page.locator(f"#claim-{c[0].pk}")).to_have_class("status-assigned overdue")
    expect(rows).to_have_count(1)
    expect(page.locator("#id_reviewer")).to_have_value(str(reviewer.pk))  # the form follows the filter
    expect(page).to_have_url(f"{live_server.url}/desk/?reviewer={reviewer.pk}")

    page.wait_for_load_state("networkidle")  # the previous swap has settled before the next change
    page.select_option("#id_reviewer", "none")
    expect(rows).to_have_count(2)
    assert heading.get_attribute("data-kept") == "yes"

    page.go_back()
    expect(page).to_have_url(f"{live_server.url}/desk/?reviewer={reviewer.pk}")
    expect(rows).to_have_count(1)
    assert csp_watch.violations == []
