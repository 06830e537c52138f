"""The whole skeleton path in real Chromium, against the real server and a real worker."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from articles.exporters import md_escape
from articles.models import Claim

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


def log_in(page: Page, base: str, user) -> None:
    page.goto(base + "/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()


def test_import_assign_review_approve_and_export(
    page: Page,
    live_server,
    celery_worker_process,
    csp_watch,
    editor,
    other_editor,
    reviewer,
    verdicts,
    sample_text,
    tmp_path,
):
    base = live_server.url
    page.set_default_timeout(60_000)

    # 1. The editor pastes the article; the job page shows progress, then the article.
    log_in(page, base, editor)
    page.get_by_role("link", name="Import", exact=True).click()
    page.fill("input[name=title]", "Putin signs law allowing foreigners to enlist in Russian military")
    page.fill("textarea[name=text]", sample_text)
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page).to_have_url(re.compile(r"/jobs/\d+/$"))
    open_link = page.get_by_role("link", name=re.compile("^Open “Putin signs law"))
    expect(open_link).to_be_visible()  # arrives by htmx polling, without a reload
    open_link.click()

    # 2. The article page lists the claims; the editor assigns the Zelensky one.
    claim = Claim.objects.get(text__contains="155 Chinese soldiers")
    item = page.locator(f"#claim-{claim.pk}")
    expect(item).to_contain_text("Volodymyr Zelensky claimed")
    item.locator("select[name=reviewer]").select_option(label=str(reviewer))
    item.get_by_role("button", name="Assign").click()
    expect(page.get_by_text(f"Claim assigned to {reviewer}.")).to_be_visible()
    log_out(page)

    # 3. The reviewer finds it in My claims and submits a review with a source.
    log_in(page, base, reviewer)
    page.get_by_role("link", name="My claims").click()
    page.get_by_role("link", name=re.compile("155 Chinese soldiers")).click()
    page.select_option("select[name=verdict]", label="Mostly true")
    page.fill("input[name=confidence]", "70")
    page.fill("textarea[name=summary]", "Zelensky said so in April; Ukraine showed two captured men.")
    page.fill("input[name=new-url]", "https://www.bbc.co.uk/news/articles/example")
    page.fill("input[name=new-title]", "BBC report")
    page.select_option("select[name=new-stance]", "supports")
    page.get_by_role("button", name="Add source").click()
    expect(page.locator("#sources")).to_contain_text("BBC report")  # swapped in by htmx
    expect(page.locator("textarea[name=summary]")).to_have_value(re.compile("Zelensky said so"))
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_text("Review submitted for approval.")).to_be_visible()
    log_out(page)

    # 4. Another editor approves and downloads the Markdown fact sheet.
    log_in(page, base, other_editor)
    page.goto(base + claim.get_absolute_url())
    page.locator(f"#claim-{claim.pk}").get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Claim approved.")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Markdown", exact=True).click()
    path = tmp_path / "sheet.md"
    download_info.value.save_as(path)
    markdown = path.read_text(encoding="utf-8")
    assert "# Fact sheet: Putin signs law allowing foreigners to enlist in Russian military" in markdown
    assert "Volodymyr Zelensky claimed that 155 Chinese soldiers were fighting for Russia." in markdown
    assert "**Verdict:** Mostly true" in markdown
    assert "**Confidence:** 70/100" in markdown
    assert f"**Reviewer:** {md_escape(str(reviewer))}" in markdown
    assert "<https://www.bbc.co.uk/news/articles/example>" in markdown

    claim.refresh_from_db()
    assert claim.status == Claim.Status.APPROVED
    assert csp_watch.violations == []
