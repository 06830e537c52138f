"""Bulk CSV and JSON Lines imports, expanded into items inside a task."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article, ImportItem, ImportJob
from articles.services.imports import (
    ArticleInput,
    import_changed_version,
    parse_bulk,
    retry_failed_items,
    start_bulk_import,
    store_item_article,
)

pytestmark = pytest.mark.django_db


def csv_file(rows: list[list[str]], name: str = "week.csv") -> SimpleUploadedFile:
    import csv
    import io

    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode("utf-8"), content_type="text/csv")


def run_bulk(upload, editor, capture) -> ImportJob:
    with capture(execute=True):
        job = start_bulk_import(upload=upload, submitted_by=editor)
    job.refresh_from_db()
    return job


def test_a_csv_becomes_one_article_per_row(editor, django_capture_on_commit_callbacks):
    upload = csv_file(
        [
            ["title", "text", "byline", "published"],
            ["Schools", "The ministry said 40 schools opened in 2023.", "Ann Lee", "2024-03-01"],
            ["Roads", "Officials said 12 bridges were closed in May.", "", ""],
        ]
    )
    job = run_bulk(upload, editor, django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.DONE
    assert list(Article.objects.order_by("title").values_list("title", "byline")) == [
        ("Roads", ""),
        ("Schools", "Ann Lee"),
    ]
    assert Article.objects.get(title="Schools").published_at.date().isoformat() == "2024-03-01"


def test_json_lines_rows_and_bad_lines_each_get_a_reason(editor, django_capture_on_commit_callbacks):
    lines = [
        json.dumps({"title": "Budget", "text": "The budget rose by 3.5% to £1.2bn, the council said."}),
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"title": "Empty"}),
        json.dumps({"title": "Budget again", "text": "The budget rose by 3.5% to £1.2bn, the council said."}),
    ]
    upload = SimpleUploadedFile("rows.jsonl", "\n".join(lines).encode(), content_type="application/json")
    job = run_bulk(upload, editor, django_capture_on_commit_callbacks)
    statuses = list(job.items.order_by("position").values_list("status", "error"))
    assert statuses[0] == ("done", "")
    assert statuses[1][0] == "failed" and "not valid JSON" in statuses[1][1]
    assert statuses[2][0] == "failed" and "not a JSON object" in statuses[2][1]
    assert statuses[3][0] == "failed" and "neither text nor url" in statuses[3][1]
    assert statuses[4][0] == "duplicate"
    assert job.status == ImportJob.Status.DONE


def test_text_wins_when_a_row_has_both_text_and_url():
    [item] = parse_bulk(b"title,text,url\nT,Officials said 12 bridges closed.,https://news.example/a\n")
    assert item.kind == ImportItem.Kind.TEXT
    assert item.url == "https://news.example/a"


def test_a_row_with_only_a_url_becomes_a_web_page_item():
    [item] = parse_bulk(b'{"url": "https://news.example/b", "title": "B"}\n', name="x.jsonl")
    assert item.kind == ImportItem.Kind.URL


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b"name,age\nann,3\n", "'text' or 'url' column"),
    ],
)
def test_a_bad_bulk_file_fails_the_job_with_a_reason(
    editor, django_capture_on_commit_callbacks, data, message
):
    job = run_bulk(SimpleUploadedFile("bad.csv", data), editor, django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.FAILED
    assert message in job.error


def test_too_many_rows_are_refused(editor, settings, django_capture_on_commit_callbacks):
    settings.VERIFY_BULK_MAX_ROWS = 3
    rows = [["text"]] + [[f"Officials said {i} bridges were closed."] for i in range(5)]
    job = run_bulk(csv_file(rows), editor, django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.FAILED
    assert "limit is 3" in job.error
    assert Article.objects.count() == 0


@pytest.mark.slow
def test_thousands_of_rows_in_one_job(editor, django_capture_on_commit_callbacks):
    rows = [["title", "text"]] + [
        [f"Story {i}", f"The agency said {i} new homes were finished in district {i}."] for i in range(2000)
    ]
    job = run_bulk(csv_file(rows), editor, django_capture_on_commit_callbacks)
    assert job.items.counts()["done"] == 2000
    assert Article.objects.count() == 2000


def test_expanding_twice_creates_the_items_once(editor, django_capture_on_commit_callbacks):
    from articles.services.imports import expand_job

    job = run_bulk(
        csv_file([["text"], ["Officials said 3 bridges closed."]]), editor, django_capture_on_commit_callbacks
    )
    expand_job(job_id=job.pk)
    assert job.items.count() == 1
    assert Article.objects.count() == 1


def test_a_changed_url_is_reported_and_can_become_a_new_version(
    client, editor, django_capture_on_commit_callbacks
):
    url = "https://news.example/story"
    rows = [["title", "text", "url"], ["Story", "The mayor said 40 homes were built.", url]]
    first = run_bulk(csv_file(rows), editor, django_capture_on_commit_callbacks)
    old = first.items.get().article
    rows[1][1] = "The mayor said 45 homes were built, correcting an earlier figure."
    second = run_bulk(csv_file(rows), editor, django_capture_on_commit_callbacks)
    item = second.items.get()
    assert item.status == ImportItem.Status.CHANGED
    assert item.article == old
    assert "text has changed" in item.error

    client.force_login(editor)
    page = client.get(second.get_absolute_url())
    assert "Import as a new version" in page.text
    response = client.post(reverse("articles:item_new_version", args=[item.pk]))
    new = Article.objects.exclude(pk=old.pk).get()
    assert response["Location"] == new.get_absolute_url()
    old.refresh_from_db()
    assert old.is_superseded and new.supersedes == old
    assert "45 homes" in new.body and "40 homes" in old.body
    assert old.claims.exists() and new.claims.exists()
    with pytest.raises(Exception, match="Only an item reported as changed"):
        import_changed_version(item=ImportItem.objects.get(pk=item.pk), by=editor)


def test_retry_queues_failed_items_again(editor, django_capture_on_commit_callbacks, settings):
    settings.VERIFY_MAX_PASTE_CHARS = 20
    job = run_bulk(
        csv_file([["text"], ["A very long article body indeed, much too long."]]),
        editor,
        django_capture_on_commit_callbacks,
    )
    assert job.items.get().status == ImportItem.Status.FAILED
    settings.VERIFY_MAX_PASTE_CHARS = 1000
    with django_capture_on_commit_callbacks(execute=True):
        assert retry_failed_items(job=job, by=editor) == 1
    assert job.items.get().status == ImportItem.Status.DONE
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE


def test_two_items_with_the_same_text_store_it_once(editor):
    job = ImportJob.objects.create(created_by=editor, source="bulk")
    a = ImportItem.objects.create(job=job, position=0, kind="text", label="a", status="running")
    b = ImportItem.objects.create(job=job, position=1, kind="text", label="b", status="running")
    data = ArticleInput(title="Same", body="Officials said 12 bridges were closed in May.")
    store_item_article(item=a, data=data, by=editor)
    store_item_article(item=b, data=data, by=editor)
    assert Article.objects.count() == 1
    assert ImportItem.objects.get(pk=b.pk).status == ImportItem.Status.DUPLICATE


def test_kept_files_are_purged_after_the_retention_period(editor, settings):
    from datetime import timedelta

    from django.utils import timezone

    from articles.services.imports import purge_old_uploads, start_file_import

    job = start_file_import(files=[SimpleUploadedFile("a.txt", b"Officials said so.")], submitted_by=editor)
    item = job.items.get()
    path = item.upload.path
    assert purge_old_uploads() == 0
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(days=8))
    assert purge_old_uploads() == 1
    import os

    assert not os.path.exists(path)
    assert job.items.get().upload == ""


def test_the_last_item_to_finish_closes_the_job_even_when_items_finish_together(editor):
    # Two items finished by two workers at the same moment each saw the other still
    # running; the job page notices that nothing is pending and closes the job.
    from django.test import Client
    from django.urls import reverse

    job = ImportJob.objects.create(created_by=editor, source="bulk", status="running")
    for position in range(2):
        ImportItem.objects.create(
            job=job, position=position, kind="text", label=f"r{position}", status="done"
        )
    client = Client()
    client.force_login(editor)
    page = client.get(reverse("articles:job_detail", args=[job.pk]), headers={"HX-Request": "true"})
    assert page.status_code == 286
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
