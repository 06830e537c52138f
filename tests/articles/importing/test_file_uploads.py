"""File uploads end to end: the web form, the import service and the readers."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article, ImportItem, ImportJob

from .test_files import bad_files, good_files, make_docx, make_pdf

pytestmark = pytest.mark.django_db


def upload(client, files: list[tuple[str, bytes]], capture):
    payload = [SimpleUploadedFile(name, data) for name, data in files]
    with capture(execute=True):
        return client.post(reverse("articles:import_files"), {"files": payload})


def test_several_files_at_once_each_become_an_article(client, editor, django_capture_on_commit_callbacks):
    client.force_login(editor)
    files = [
        (
            "budget.pdf",
            make_pdf([["The council said the budget rose by 3.5% to £1.2bn in 2024."]], title="Budget"),
        ),
        ("schools.docx", make_docx(["The ministry said 40 new schools opened in 2025."], title="Schools")),
        ("roads.txt", "Officials said 12 bridges were closed in May for repairs.".encode("cp1252")),
        ("notes.md", b"# Water\n\nThe utility said **leaks** fell by 8% last year.\n"),
    ]
    response = upload(client, files, django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert job.status == ImportJob.Status.DONE
    assert job.items.counts()["done"] == 4
    titles = set(Article.objects.values_list("title", flat=True))
    assert {"Budget", "Schools"} <= titles
    markdown = Article.objects.get(body__contains="leaks")
    assert "**" not in markdown.body and "#" not in markdown.body
    assert not ImportItem.objects.exclude(upload="").exists()  # imported files are not kept


def test_a_file_over_the_size_cap_fails_alone(client, editor, settings, django_capture_on_commit_callbacks):
    settings.VERIFY_MAX_UPLOAD_BYTES = 1000
    client.force_login(editor)
    files = [("big.txt", b"word " * 400), ("ok.txt", b"Officials said 12 bridges were closed in May.")]
    upload(client, files, django_capture_on_commit_callbacks)
    items = {i.label: i for i in ImportItem.objects.all()}
    assert items["big.txt"].status == "failed" and "limit is" in items["big.txt"].error
    assert items["ok.txt"].status == "done"


def test_a_request_over_the_total_cap_gets_the_413_page(client, editor, settings):
    settings.VERIFY_MAX_REQUEST_BYTES = 5000
    client.force_login(editor)
    response = client.post(
        reverse("articles:import_files"), {"files": [SimpleUploadedFile("a.txt", b"x" * 9000)]}
    )
    assert response.status_code == 413
    assert ImportJob.objects.count() == 0


def test_too_many_files_are_refused_with_a_message(client, editor, settings):
    settings.VERIFY_MAX_UPLOAD_FILES = 2
    client.force_login(editor)
    files = [SimpleUploadedFile(f"{n}.txt", b"Officials said so.") for n in range(3)]
    response = client.post(reverse("articles:import_files"), {"files": files})
    assert response.status_code == 400
    assert "the limit is 2" in response.text


@pytest.mark.slow
def test_200_bad_files_and_20_good_ones_through_the_web(client, editor, django_capture_on_commit_callbacks):
    client.force_login(editor)
    good = list(good_files())
    bad = list(bad_files())
    batch: list[tuple[str, bytes]] = []
    for name, data in [(n, d) for n, d, _, _ in good] + bad:
        batch.append((name, data))
        if len(batch) == 50:
            assert upload(client, batch, django_capture_on_commit_callbacks).status_code == 302
            batch = []
    if batch:
        assert upload(client, batch, django_capture_on_commit_callbacks).status_code == 302
    good_names = {name for name, *_ in good}
    items = list(ImportItem.objects.all())
    assert len(items) == 220
    for item in items:
        if item.label in good_names:
            # Four good files hold the same text in different encodings: one article, three duplicates.
            assert item.status in ("done", "duplicate"), (item.label, item.error)
        else:
            assert item.status == "failed", (item.label, item.status)
            assert item.error, item.label
    assert Article.objects.count() == 17
    assert not ImportJob.objects.exclude(status="done").exists()
