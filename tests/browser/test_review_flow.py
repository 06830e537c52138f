"""Issue 7 in real Chromium: review with evidence, return, fix, approve by another editor, read the history."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from articles.models import Claim, Review

from .. import factories
from .test_walkthrough import log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST_SUMMARY = "The ministry's table lists 2 schools for 2002, not 3."
FIXED_SUMMARY = "The ministry's 2002 table lists 2 schools; the press release said 3."
RETURN_COMMENT = "Say which year's table you used."


def add_source(page: Page, *, url: str, title: str, stance: str, kind: str) -> None:
    page.fill("input[name=new-url]", url)
    page.fill("input[name=new-title]", title)
    page.select_option("select[name=new-stance]", stance)
    page.select_option("select[name=new-kind]", kind)
    page.get_by_role("button", name="Add source").click()
    expect(page.locator("#sources")).to_contain_text(title)  # swapped in by htmx
    expect(page.locator("input[name=new-url]")).to_have_value("")


def test_review_return_fix_approve_and_history(
    page: Page, live_server, csp_watch, editor, other_editor, reviewer, verdicts
):
    base = live_server.url
    claim = factories.ClaimFactory()
    claim.assign_to(reviewer, by=editor)

    # 1. The reviewer weighs two sources that disagree, in place, and submits.
    log_in(page, base, reviewer)
    page.goto(f"{base}/claims/{claim.pk}/review/")
    page.select_option("select[name=verdict]", label="Mostly false")
    page.fill("input[name=confidence]", "70")
    page.fill("textarea[name=summary]", FIRST_SUMMARY)
    add_source(
        page,
        url="https://stats.example.org/schools-2002",
        title="Schools census 2002",
        stance="refutes",
        kind="official_statistic",
    )
    add_source(
        page,
        url="https://news.example.org/ministry-3-schools",
        title="Ministry press release",
        stance="supports",
        kind="news_report",
    )
    sources = page.locator("#sources .source")
    expect(sources).to_have_count(2)
    expect(page.locator("#sources .stance-refutes")).to_contain_text("Refutes the claim")
    expect(page.locator("#sources .stance-supports")).to_contain_text("Supports the claim")
    # What was typed in the main form survived both swaps.
    expect(page.locator("select[name=verdict] option:checked")).to_have_text("Mostly false")
    expect(page.locator("input[name=confidence]")).to_have_value("70")
    expect(page.locator("textarea[name=summary]")).to_have_value(FIRST_SUMMARY)
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_text("Review submitted for approval.")).to_be_visible()
    log_out(page)

    # 2. The editor reads it on the claim page and returns it with a comment.
    log_in(page, base, editor)
    page.goto(f"{base}/claims/{claim.pk}/")
    expect(page.locator("dl.review")).to_contain_text(FIRST_SUMMARY)
    page.fill("textarea[name=comment]", RETURN_COMMENT)
    page.get_by_role("button", name="Return", exact=True).click()
    expect(page.get_by_text("Review returned to the reviewer with your comment.")).to_be_visible()
    log_out(page)

    # 3. The reviewer is told, opens the review from the notification, fixes the summary, resubmits.
    log_in(page, base, reviewer)
    page.get_by_role("link", name=re.compile("Notifications: 1 unread")).click()
    page.get_by_role("link", name=re.compile("returned your review")).click()
    expect(page.locator(".notice")).to_have_text(f"Returned by the editor: {RETURN_COMMENT}")
    expect(page.locator("#sources .source")).to_have_count(2)
    page.fill("textarea[name=summary]", FIXED_SUMMARY)
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_text("Review submitted for approval.")).to_be_visible()
    log_out(page)

    # 4. Another editor approves from the claim page.
    log_in(page, base, other_editor)
    page.goto(f"{base}/claims/{claim.pk}/")
    expect(page.locator("dl.review")).to_contain_text(FIXED_SUMMARY)
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Claim approved.")).to_be_visible()

    # 5. The history tab shows each step, who took it, and what changed.
    page.get_by_role("link", name="History").click()
    expect(page).to_have_url(re.compile(rf"/claims/{claim.pk}/history/$"))

    def step(kind: str, changed: str):
        return page.locator(f"tr.event-{kind}").filter(has=page.locator("ins", has_text=changed))

    submitted = step("claim", "Submitted")
    expect(submitted).to_have_count(2)
    expect(submitted.first.locator("td").nth(1)).to_have_text(str(reviewer))
    returned = step("claim", "Returned")
    expect(returned.locator("td").nth(1)).to_have_text(str(editor))
    expect(returned.locator("ins", has_text=RETURN_COMMENT)).to_be_visible()
    approved = step("claim", "Approved")
    expect(approved.locator("td").nth(1)).to_have_text(str(other_editor))
    expect(approved.locator("del")).to_contain_text(["Submitted"])

    fixed = step("review", FIXED_SUMMARY)
    expect(fixed.locator("td").nth(1)).to_have_text(str(reviewer))
    expect(fixed.locator("del", has_text=FIRST_SUMMARY)).to_be_visible()
    for title, stance in (("Schools census 2002", "Refutes"), ("Ministry press release", "Supports")):
        added = step("source", title)
        expect(added.locator("td").nth(1)).to_have_text(str(reviewer))
        expect(added).to_contain_text(stance)

    claim.refresh_from_db()
    assert claim.status == Claim.Status.APPROVED
    review = Review.objects.get(assignment__claim=claim)
    assert (review.summary, review.sources.count()) == (FIXED_SUMMARY, 2)
    assert csp_watch.violations == []
