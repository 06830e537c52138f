"""URL and feed imports through the service, served by a local HTTP server."""

from __future__ import annotations

import pytest

from articles.models import Article, ImportItem, ImportJob
from articles.services.imports import start_feed_import, start_url_import

from .httpserver import LocalSite

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(settings):
    site = LocalSite().start()
    settings.VERIFY_FETCH_ALLOW = site.allow
    yield site
    site.stop()


def run(capture, start, **kwargs) -> ImportJob:
    with capture(execute=True):
        job = start(**kwargs)
    job.refresh_from_db()
    return job


def test_a_web_page_is_fetched_cleaned_and_stored_with_its_metadata(
    site, editor, django_capture_on_commit_callbacks
):
    job = run(
        django_capture_on_commit_callbacks,
        start_url_import,
        urls=[site.url("/schools.html")],
        submitted_by=editor,
    )
    item = job.items.get()
    assert item.status == ImportItem.Status.DONE, item.error
    article = item.article
    assert article.title == "Region opens 40 new schools in a year"
    assert article.site_name == "Fixture Gazette"
    assert article.byline == "Ann Lee"
    assert article.canonical_url == "https://fixture-gazette.example/news/schools"
    assert "40 new schools opened in the region in 2025" in article.body
    for furniture in (
        "cookies",
        "Most read",
        "Celebrity chef",
        "Politics",
        "All rights reserved",
        "Share this",
    ):
        assert furniture not in article.body
    assert "<script" not in article.sanitized_html
    assert article.claims.filter(status="new").exists()


def test_the_same_page_twice_is_a_duplicate(site, editor, django_capture_on_commit_callbacks):
    url = site.url("/schools.html")
    run(django_capture_on_commit_callbacks, start_url_import, urls=[url], submitted_by=editor)
    again = run(django_capture_on_commit_callbacks, start_url_import, urls=[url], submitted_by=editor)
    assert again.items.get().status == ImportItem.Status.DUPLICATE
    assert Article.objects.count() == 1


def test_a_feed_imports_each_entry_once_and_reports_the_broken_one(
    site, editor, django_capture_on_commit_callbacks
):
    job = run(
        django_capture_on_commit_callbacks,
        start_feed_import,
        feed_url=site.url("/news.xml"),
        submitted_by=editor,
    )
    assert job.status == ImportJob.Status.DONE
    items = {item.url.rsplit("/", 1)[-1]: item for item in job.items.all()}
    assert set(items) == {"article.html", "schools.html", "404"}  # the repeated link is listed once
    assert items["article.html"].status == ImportItem.Status.DONE
    assert items["schools.html"].status == ImportItem.Status.DONE
    assert items["404"].status == ImportItem.Status.FAILED
    assert "404" in items["404"].error
    assert Article.objects.count() == 2


def test_a_page_that_is_not_a_feed_fails_the_job_with_a_reason(
    site, editor, django_capture_on_commit_callbacks
):
    job = run(
        django_capture_on_commit_callbacks,
        start_feed_import,
        feed_url=site.url("/status/404"),
        submitted_by=editor,
    )
    assert job.status == ImportJob.Status.FAILED
    assert "feed cannot be read" in job.error


SSRF_URLS = [
    "http://127.0.0.1/",
    "http://[::1]/",
    "http://[fc00::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://0.0.0.0/",
    "http://2130706433/",
    "http://0177.0.0.1/",
    "http://169.254.169.254/latest/meta-data/",
    "http://10.0.0.1/",
    "http://224.0.0.1/",
]


@pytest.mark.parametrize("url", SSRF_URLS)
def test_private_network_urls_fail_their_item_and_fetch_nothing(
    url, site, editor, django_capture_on_commit_callbacks
):
    job = run(django_capture_on_commit_callbacks, start_url_import, urls=[url], submitted_by=editor)
    item = job.items.get()
    assert item.status == ImportItem.Status.FAILED
    assert item.error.startswith("Refused:")
    assert Article.objects.count() == 0


def test_a_redirect_to_a_private_address_fails_and_fetches_nothing(
    site, editor, django_capture_on_commit_callbacks
):
    other = LocalSite().start()  # on loopback but not allowed
    try:
        target = other.url("/article.html")
        job = run(
            django_capture_on_commit_callbacks,
            start_url_import,
            urls=[site.url(f"/redirect?to={target}")],
            submitted_by=editor,
        )
        item = job.items.get()
        assert item.status == ImportItem.Status.FAILED
        assert "Refused" in item.error
        assert other.seen == []
    finally:
        other.stop()


def test_a_server_error_is_retried_as_transient(site, editor):
    from articles.services.imports import TransientImportProblem, process_item

    job = start_url_import(urls=[site.url("/status/503")], submitted_by=editor)
    item = job.items.get()
    with pytest.raises(TransientImportProblem):
        process_item(item_id=item.pk, final_attempt=False)
    item.refresh_from_db()
    assert item.status == ImportItem.Status.QUEUED
    process_item(item_id=item.pk, final_attempt=True)
    item.refresh_from_db()
    assert item.status == ImportItem.Status.FAILED
    assert "gave up" in item.error
