"""Import throughput through real workers: the 2,225 BBC articles as one JSON Lines bulk job.

Run with `make bench`. Prints articles/s with 1 and with 2 worker processes of concurrency 1;
never fails on the figures.
"""

from __future__ import annotations

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Article, ImportItem, ImportJob
from articles.services.imports import start_bulk_import

from ..conftest import SHARED, start_worker, wait_for
from .conftest import record

BBC = SHARED / "data" / "news" / "bbc_news_2225.jsonl"

pytestmark = [pytest.mark.bench, pytest.mark.worker]


def _run(editor, workers: int) -> tuple[float, dict]:
    procs = [start_worker(concurrency=1, name=f"bench{n}") for n in range(workers)]
    try:
        upload = SimpleUploadedFile("bbc.jsonl", BBC.read_bytes())
        started = time.perf_counter()
        job = start_bulk_import(upload=upload, submitted_by=editor)

        def finished():
            job.refresh_from_db()
            return job.is_finished

        wait_for(finished, timeout=1800, interval=0.2, message="the BBC bulk job")
        elapsed = time.perf_counter() - started
    finally:
        for proc in procs:
            proc.stop()
    return elapsed, ImportItem.objects.filter(job=job).counts()


@pytest.mark.skipif(not BBC.exists(), reason=f"{BBC} is absent (../shared/data not available)")
@pytest.mark.parametrize("workers", [1, 2])
def test_bench_import_bbc_jsonl(transactional_db, editor, workers):
    elapsed, counts = _run(editor, workers)
    print(
        f"\nBENCH import: 2,225 BBC articles as one JSONL job, {workers} worker process(es) x concurrency 1: "
        f"{elapsed:.1f} s, {counts['total'] / elapsed:.1f} items/s, {counts['done'] / elapsed:.1f} articles/s "
        f"(done {counts['done']}, duplicate {counts['duplicate']}, failed {counts['failed']}); "
        f"articles stored {Article.objects.count()}"
    )
    record("import", f"BBC JSONL, {workers} worker(s)", f"{counts['done'] / elapsed:.1f} articles/s")
    assert ImportJob.objects.count() == 1
