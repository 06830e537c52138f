"""My claims from the keyboard in real Chromium, under the real CSP."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from articles.models import Assignment, Claim

from .. import factories
from .test_walkthrough import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_move_open_and_show_the_keys(page: Page, live_server, csp_watch, editor, reviewer):
    now = timezone.now()
    article = factories.ArticleFactory(title="Ministry figures")
    assignments = [
        Assignment.objects.create(
            claim=factories.ClaimFactory(article=article, text=text, status=Claim.Status.ASSIGNED),
            reviewer=reviewer,
            assigned_by=editor,
            due_at=now + datetime.timedelta(days=days),
        )
        for days, text in [(-1, "First: overdue."), (1, "Second: due tomorrow."), (3, "Third: due later.")]
    ]
    page.set_default_timeout(30_000)
    log_in(page, live_server.url, reviewer)
    page.get_by_role("link", name="My claims").click()

    rows = page.locator("#queue tr.queue-row")
    expect(rows).to_have_count(3)
    expect(rows.nth(0).locator("td.overdue")).to_contain_text("overdue")
    expect(rows.nth(0)).to_have_class(re.compile(r"\bcurrent\b"))  # the first row on load
    expect(rows.nth(0)).to_have_attribute("aria-selected", "true")

    help_panel = page.locator("#queue-keys")
    expect(help_panel).to_be_hidden()
    page.keyboard.press("?")
    expect(help_panel).to_be_visible()
    expect(help_panel).to_contain_text("open the review of the current claim")
    page.keyboard.press("Escape")
    expect(help_panel).to_be_hidden()

    # Keys typed into a filter are the filter's, not the queue's.
    page.locator("select[name=status]").focus()
    page.keyboard.press("j")
    expect(rows.nth(0)).to_have_class(re.compile(r"\bcurrent\b"))
    page.locator("select[name=status]").blur()

    page.keyboard.press("j")
    page.keyboard.press("j")
    expect(rows.nth(2)).to_have_class(re.compile(r"\bcurrent\b"))
    page.keyboard.press("k")
    expect(rows.nth(1)).to_have_class(re.compile(r"\bcurrent\b"))
    expect(rows.nth(1)).to_have_attribute("aria-selected", "true")
    expect(rows.nth(2)).to_have_attribute("aria-selected", "false")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/claims/{assignments[1].claim_id}/review/$"))
    expect(page.get_by_text("Second: due tomorrow.")).to_be_visible()

    # A filter swaps the list in place; the keys work on the new rows.
    page.go_back()
    page.locator("select[name=due]").select_option("overdue")
    expect(page).to_have_url(re.compile(r"due=overdue"))
    expect(rows).to_have_count(1)
    expect(rows.nth(0)).to_have_class(re.compile(r"\bcurrent\b"))
    page.locator("select[name=due]").blur()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/claims/{assignments[0].claim_id}/review/$"))

    assert csp_watch.violations == []
