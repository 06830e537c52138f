"""Hostile text in every imported field shows as text in Chromium: no dialog, no markup."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import Page

from articles.models import Article, ImportJob
from articles.services import imports

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAYLOAD = '<script>alert(1)</script><img src=x onerror=alert(2)>"><svg onload=alert(3)>'


def test_payloads_in_every_field_are_shown_escaped(
    page: Page, live_server, editor, django_capture_on_commit_callbacks
):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["title", "text", "byline", "site_name", "url"])
    writer.writerow(
        [
            f"Title {PAYLOAD}",
            "The council said 40 homes were built in the town last year, and the mayor said that the "
            "target for the year was 100 homes. It is one of the lowest figures in the region since 2010. "
            f"Literal text: {PAYLOAD} stays text.",
            f"By {PAYLOAD}",
            f"Site {PAYLOAD}",
            "https://news.example/a?q=<script>alert(4)</script>",
        ]
    )
    upload = SimpleUploadedFile(f"week{PAYLOAD}.csv", out.getvalue().encode())
    with django_capture_on_commit_callbacks(execute=True):
        job = imports.start_bulk_import(upload=upload, submitted_by=editor)
    job = ImportJob.objects.get(pk=job.pk)
    article = Article.objects.get()
    assert article.byline == f"By {PAYLOAD}"

    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(live_server.url + "/login/")
    page.fill("input[name=username]", editor.username)
    page.fill("input[name=password]", "correct-horse-battery")
    page.click("button[type=submit]")
    for path in [
        "/",
        "/jobs/",
        job.get_absolute_url(),
        article.get_absolute_url(),
        f"/claims/{article.claims.first().pk}/history/",
    ]:
        page.goto(live_server.url + path)
        assert page.locator("script:not([src])").count() == 0, path
        assert page.locator("img[onerror], svg[onload]").count() == 0, path
    page.goto(live_server.url + article.get_absolute_url())
    assert PAYLOAD in page.inner_text("main")  # shown as text
    assert dialogs == []
