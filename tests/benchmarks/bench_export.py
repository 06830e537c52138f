"""Bulk export time through a real worker: 100 articles of 10 approved claims each, every format.

Run with `make bench`. Prints seconds and articles/s for the text formats and for PDF alone;
never fails on the figures.
"""

from __future__ import annotations

import time

import pytest
from django.utils import timezone

from articles.models import Assignment, Claim, ExportJob, Review, Source
from articles.models.claim import recount_article
from articles.services.exports import start_export

from ..conftest import make_article, start_worker, wait_for
from .conftest import record

pytestmark = [pytest.mark.bench, pytest.mark.worker]


def _approved_articles(n_articles: int, n_claims: int, *, editor, reviewer, verdict) -> list[int]:
    ids = []
    for _ in range(n_articles):
        article = make_article(n_claims)
        claims = list(article.claims.all())
        Claim.objects.filter(pk__in=[c.pk for c in claims]).update(status=Claim.Status.APPROVED)
        now = timezone.now()
        assignments = Assignment.objects.bulk_create(
            [
                Assignment(
                    claim=c, reviewer=reviewer, assigned_by=editor, closed_at=now, close_reason="approved"
                )
                for c in claims
            ]
        )
        reviews = Review.objects.bulk_create(
            [
                Review(
                    assignment=a,
                    verdict=verdict,
                    confidence=80,
                    summary="Matches the official table.",
                    state="submitted",
                )
                for a in assignments
            ]
        )
        Source.objects.bulk_create(
            [
                Source(review=r, url=f"https://stats.example.org/t/{r.pk}", title="Table", stance="supports")
                for r in reviews
            ]
        )
        recount_article(article.pk)
        ids.append(article.pk)
    return ids


@pytest.mark.parametrize(
    "formats", [["html", "md", "csv", "json", "claimreview"], ["pdf"]], ids=["text formats", "pdf"]
)
def test_bench_bulk_export_of_100_articles(
    transactional_db, editor, reviewer, verdicts, django_capture_on_commit_callbacks, formats
):
    ids = _approved_articles(100, 10, editor=editor, reviewer=reviewer, verdict=verdicts["True"])
    worker = start_worker(concurrency=1, name="bench-export")
    try:
        started = time.perf_counter()
        with django_capture_on_commit_callbacks(execute=True):
            job = start_export(by=editor, article_ids=ids, formats=formats)

        def finished():
            row = ExportJob.objects.get(pk=job.pk)
            return row.status in ("done", "failed") and row

        row = wait_for(finished, timeout=1800, message="the bulk export")
        elapsed = time.perf_counter() - started
    finally:
        worker.stop()
    print(
        f"\nBENCH bulk export: 100 articles x 10 approved claims, formats {', '.join(formats)}, one worker: "
        f"{elapsed:.1f} s, {100 / elapsed:.1f} articles/s ({row.status}, zip {row.file.size / 1024:.0f} KiB)"
    )
    record("export", f"100 articles, {', '.join(formats)}", f"{100 / elapsed:.1f} articles/s")
    assert row.status == "done", row.error
