"""Paste import: the view, the service and the task (eager here; real worker in test_integration)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from articles.models import Article, Claim, ImportItem, ImportJob
from articles.services.imports import process_item, start_paste_import

pytestmark = pytest.mark.django_db


def post_paste(client, **data):
    return client.post(reverse("articles:import_paste"), data)


def test_pasting_an_article_stores_it_and_its_claims(
    client, editor, sample_text, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_paste(client, title="Putin signs law", text=sample_text)
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == job.get_absolute_url()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    item = job.items.get()
    assert item.status == ImportItem.Status.DONE
    article = item.article
    assert article.title == "Putin signs law"
    assert article.body == sample_text
    claims = list(article.claims.filter(status=Claim.Status.NEW))
    assert len(claims) >= 10
    for claim in article.claims.all():
        assert article.body[claim.start : claim.end] == claim.text


def test_the_junk_tail_of_the_sample_never_becomes_a_claim(
    editor, sample_text, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = start_paste_import(title="Sample", text=sample_text, submitted_by=editor)
    article = job.items.get().article
    claim_texts = " ".join(article.claims.filter(status=Claim.Status.NEW).values_list("text", flat=True))
    for junk in ("You may also like", "Marcus Rashford", "Ozzy Osbourne", "Club World Cup"):
        assert junk not in claim_texts


def test_the_same_text_twice_is_reported_as_a_duplicate(editor, django_capture_on_commit_callbacks):
    text = "The council said 40 homes were built in 2023. The mayor said the target was 100 homes."
    with django_capture_on_commit_callbacks(execute=True):
        first = start_paste_import(title="One", text=text, submitted_by=editor)
        second = start_paste_import(title="Two", text="  " + text.upper() + "\n", submitted_by=editor)
    first_item, second_item = first.items.get(), second.items.get()
    assert Article.objects.count() == 1
    assert second_item.status == ImportItem.Status.DUPLICATE
    assert second_item.article == first_item.article
    assert "Already imported as “One”" in second_item.error


def test_the_job_page_links_to_the_existing_article_of_a_duplicate(
    client, editor, django_capture_on_commit_callbacks
):
    text = "The council said 40 homes were built in 2023."
    with django_capture_on_commit_callbacks(execute=True):
        start_paste_import(title="One", text=text, submitted_by=editor)
        second = start_paste_import(title="Two", text=text, submitted_by=editor)
    client.force_login(editor)
    page = client.get(second.get_absolute_url())
    article = Article.objects.get()
    assert "1 duplicate" in page.text
    assert article.get_absolute_url() in page.text


def test_running_an_item_twice_stores_one_article(editor):
    job = start_paste_import(
        title="T", text="Officials said 12 bridges were closed in May.", submitted_by=editor
    )
    item = job.items.get()
    process_item(item_id=item.pk)
    process_item(item_id=item.pk)
    assert Article.objects.count() == 1
    assert Claim.objects.count() == 1


def test_an_item_left_running_by_a_dead_worker_is_taken_again(editor):
    job = start_paste_import(
        title="T", text="Officials said 12 bridges were closed in May.", submitted_by=editor
    )
    ImportItem.objects.filter(job=job).update(status="running", attempts=1)
    process_item(item_id=job.items.get().pk)
    assert job.items.get().status == ImportItem.Status.DONE


def test_an_item_that_crashed_its_worker_three_times_is_failed_as_poison(
    editor, django_capture_on_commit_callbacks
):
    job = start_paste_import(
        title="T", text="Officials said 12 bridges were closed in May.", submitted_by=editor
    )
    ImportItem.objects.filter(job=job).update(status="running", attempts=3)
    with django_capture_on_commit_callbacks(execute=True):
        process_item(item_id=job.items.get().pk)
    item = job.items.get()
    assert item.status == ImportItem.Status.FAILED
    assert "crashing a worker 3 times" in item.error
    assert Article.objects.count() == 0
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE


def test_the_job_page_polls_until_the_job_is_finished(client, editor):
    client.force_login(editor)
    job = start_paste_import(title="T", text="Officials said 12 bridges were closed.", submitted_by=editor)
    url = reverse("articles:job_detail", args=[job.pk])
    page = client.get(url)
    assert 'hx-trigger="every 1s"' in page.text
    partial = client.get(url, headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert "<html" not in partial.text
    process_item(item_id=job.items.get().pk)
    finished = client.get(url, headers={"HX-Request": "true"})
    assert finished.status_code == 286  # htmx: stop polling
    assert "hx-trigger" not in finished.text
    assert "1 imported" in finished.text
    assert Article.objects.get().get_absolute_url() in finished.text


def test_empty_text_is_refused_with_a_message(client, editor):
    client.force_login(editor)
    response = post_paste(client, title="Nothing", text="   \n ")
    assert response.status_code == 400
    assert "it is empty" in response.text
    assert ImportJob.objects.count() == 0


def test_oversize_paste_is_refused_with_a_message(client, editor, settings):
    settings.VERIFY_MAX_PASTE_CHARS = 1000
    client.force_login(editor)
    response = post_paste(client, title="Huge", text="A long sentence here. " * 100)
    assert response.status_code == 400
    assert "the limit is 1,000" in response.text
    assert ImportJob.objects.count() == 0


def test_a_request_over_djangos_upload_limit_gets_a_friendly_413(client, editor, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    client.force_login(editor)
    response = post_paste(client, title="Huge", text="x" * 20_000)
    assert response.status_code == 413
    assert "too large" in response.text
    assert ImportJob.objects.count() == 0
