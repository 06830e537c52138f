"""Import throughput through a real worker: 200 BBC articles pasted as jobs.

Run with `make bench`. Prints figures; never fails on them.
"""

from __future__ import annotations

import json
import time

import pytest
from django.db import transaction

from articles.models import ImportJob
from articles.services.imports import start_paste_import

from ..conftest import SHARED, start_worker, wait_for

BBC = SHARED / "data" / "news" / "bbc_news_2225.jsonl"

pytestmark = [pytest.mark.bench, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.mark.skipif(not BBC.exists(), reason=f"{BBC} is absent (../shared/data not available)")
def test_bench_import_200_bbc_articles_through_one_worker(editor):
    rows = [json.loads(line) for line in BBC.open(encoding="utf-8")][:200]
    worker = start_worker(concurrency=1, name="bench")
    try:
        started = time.perf_counter()
        with transaction.atomic():
            for row in rows:
                start_paste_import(title=row["title"], text=row["text"], submitted_by=editor)
        wait_for(
            lambda: not ImportJob.objects.exclude(status__in=["done", "duplicate", "failed"]).exists(),
            timeout=600,
            interval=0.1,
            message="200 imports",
        )
        elapsed = time.perf_counter() - started
    finally:
        worker.stop()
    counts = {s: ImportJob.objects.filter(status=s).count() for s in ("done", "duplicate", "failed")}
    print(
        f"\nBENCH import: {len(rows)} BBC articles through 1 worker process (concurrency 1): "
        f"{elapsed:.2f} s, {len(rows) / elapsed:.1f} articles/s; {counts}"
    )
