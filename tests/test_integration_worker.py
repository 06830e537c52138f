"""A real Celery worker process against the real broker and the test database."""

from __future__ import annotations

import pytest
from django.urls import reverse

from articles.models import Claim, ImportJob

from .conftest import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_import_through_the_web_view_is_done_by_a_real_worker(
    client, editor, sample_text, celery_worker_process
):
    client.force_login(editor)
    response = client.post(reverse("articles:import_paste"), {"title": "Sample", "text": sample_text})
    job = ImportJob.objects.get()
    assert response["Location"] == job.get_absolute_url()

    def finished():
        job.refresh_from_db()
        return job.is_finished

    wait_for(finished, message=f"the worker to finish the job\n{celery_worker_process.log()[-2000:]}")
    assert job.status == ImportJob.Status.DONE, job.error
    assert "articles.import_item[" in celery_worker_process.log()
    article = job.items.get().article
    assert article.claims.filter(status=Claim.Status.NEW).count() >= 10

    page = client.get(reverse("articles:article_detail", args=[article.pk]))
    assert "Zelensky claimed that 155 Chinese soldiers" in page.text
    progress = client.get(job.get_absolute_url(), headers={"HX-Request": "true"})
    assert progress.status_code == 286
    assert article.get_absolute_url() in progress.text
