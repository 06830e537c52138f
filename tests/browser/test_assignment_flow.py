"""Issue 6 end to end in real Chromium: bulk-assign with a due date, notify, work the queue, reassign."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from articles.models import Assignment
from articles.models.claim import recount_article

from ..conftest import make_article
from .test_walkthrough import log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def bell(page: Page, unread: int):
    return page.locator(f'a.bell[aria-label="Notifications: {unread} unread"]')


def test_bulk_assign_notify_work_the_queue_and_reassign(
    page: Page, live_server, csp_watch, editor, reviewer, other_reviewer
):
    article = make_article(4, title="Budget speech")
    recount_article(article.pk)
    claims = list(article.claims.order_by("start"))
    picked, left_alone = claims[:3], claims[3]
    due = timezone.localtime() + datetime.timedelta(days=1)
    due = due.replace(hour=17, minute=0, second=0, microsecond=0)
    due_text = f"due {due:%-d %b} 17:00"
    base = live_server.url
    page.set_default_timeout(30_000)

    # 1. The editor ticks three of the four claims and assigns them to the reviewer, due tomorrow at 17:00.
    log_in(page, base, editor)
    page.goto(f"{base}/articles/{article.pk}/")
    for claim in picked:
        page.locator(f"#claim-{claim.pk} input[name=claims][form=bulk]").check()
    bulk = page.locator("#bulk")
    bulk.locator("select[name=reviewer]").select_option(label=str(reviewer))
    bulk.locator("input[name=due_at]").fill(due.strftime("%Y-%m-%dT%H:%M"))
    heading = page.get_by_role("heading", name="Budget speech")
    heading.evaluate("h => h.dataset.kept = 'yes'")  # gone if the whole page reloads
    bulk.get_by_role("button", name="Assign", exact=True).click()
    expect(page.locator("#curation .messages")).to_contain_text(f"3 claims assigned: 3 to {reviewer}.")
    expect(heading).to_have_attribute("data-kept", "yes")  # swapped in place by htmx
    for claim in picked:
        meta = page.locator(f"#claim-{claim.pk} p.meta")
        expect(meta).to_contain_text(str(reviewer))
        expect(meta.locator("span.due")).to_have_text(due_text)
    expect(page.locator(f"#claim-{left_alone.pk} p.meta")).not_to_contain_text(str(reviewer))
    log_out(page)

    # 2. The reviewer sees one unread notification; opening it leads to My claims and reads it.
    log_in(page, base, reviewer)
    expect(bell(page, 1)).to_be_visible()
    bell(page, 1).click()
    note = page.get_by_role("link", name=re.compile(rf"^{editor} assigned you 3 claims in “Budget speech”"))
    expect(note).to_contain_text(due_text)
    note.click()
    expect(page).to_have_url(f"{base}/my-claims/")
    expect(bell(page, 0)).to_be_visible()

    # 3. The reviewer works through the queue from the keyboard: j, k, j lands on the second row.
    # All three are due at once, so the oldest assignment comes first: they were assigned in text order.
    rows = page.locator("#queue tr.queue-row")
    expect(rows).to_have_count(3)
    for row, claim in enumerate(picked):
        expect(rows.nth(row)).to_contain_text(claim.text)
    current = re.compile(r"\bcurrent\b")
    expect(rows.nth(0)).to_have_class(current)  # the first row on load: the keys are live
    for key, row in [("j", 1), ("k", 0), ("j", 1)]:
        page.keyboard.press(key)
        expect(rows.nth(row)).to_have_class(current)
    page.keyboard.press("?")
    expect(page.locator("#queue-keys")).to_be_visible()
    expect(page.locator("#queue-keys")).to_contain_text("open the review of the current claim")
    page.keyboard.press("Enter")
    second = picked[1]
    expect(page).to_have_url(f"{base}/claims/{second.pk}/review/")
    expect(page.get_by_text(second.text).first).to_be_visible()
    log_out(page)

    # 4. The editor gives the one the reviewer just opened to the other reviewer, in place.
    moved = second
    log_in(page, base, editor)
    page.goto(f"{base}/articles/{article.pk}/")
    item = page.locator(f"#claim-{moved.pk}")
    item.get_by_text("Reassign…").click()
    item.get_by_label("New reviewer").select_option(label=str(other_reviewer))
    item.get_by_role("button", name="Reassign", exact=True).click()
    expect(page.locator("#curation .messages")).to_contain_text(f"Claim reassigned to {other_reviewer}.")
    expect(page.locator(f"#claim-{moved.pk} p.meta")).to_contain_text(str(other_reviewer))
    expect(page.locator(f"#claim-{moved.pk} span.due")).to_have_text(due_text)  # the due date stays
    log_out(page)

    # 5. The first reviewer no longer has it: two claims left, a notification says so, the review is closed.
    log_in(page, base, reviewer)
    expect(bell(page, 1)).to_be_visible()
    page.get_by_role("link", name="My claims").click()
    expect(rows).to_have_count(2)
    expect(page.locator("#queue")).not_to_contain_text(moved.text)
    bell(page, 1).click()
    expect(page.locator("ul.notifications li.unread")).to_have_count(1)
    gone = page.locator("ul.notifications li.unread").get_by_role("link")
    expect(gone).to_have_text(
        f"{editor} reassigned “{moved.text}” to {other_reviewer}: it is no longer yours to review."
    )
    gone.click()
    expect(page).to_have_url(f"{base}{moved.get_absolute_url()}")
    expect(page.get_by_text(moved.text).first).to_be_visible()
    expect(bell(page, 0)).to_be_visible()
    response = page.goto(f"{base}/claims/{moved.pk}/review/")
    assert response is not None and response.status == 403
    assert Assignment.objects.get(claim=moved, closed_at__isnull=True).reviewer == other_reviewer

    assert csp_watch.violations == []
