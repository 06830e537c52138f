"""Check-worthiness scoring speed: model load time and sentences per second on one core.

Run with `make bench` (or `pytest tests/benchmarks -o python_files='bench_*.py' -s`).
Prints figures; never fails on them.
"""

from __future__ import annotations

import json
import time

import pytest

from articles.extraction.checkworthiness import DEFAULT_MODEL_PATH, CheckworthinessModel, load_model

from ..conftest import SHARED
from .conftest import record

BBC = SHARED / "data" / "news" / "bbc_news_2225.jsonl"

pytestmark = pytest.mark.bench


@pytest.mark.skipif(not BBC.exists(), reason=f"{BBC} is absent (../shared/data not available)")
def test_bench_checkworthiness_load_and_score_bbc_sentences():
    started = time.perf_counter()
    CheckworthinessModel.read(DEFAULT_MODEL_PATH)
    load_s = time.perf_counter() - started

    articles = [json.loads(line)["text"] for line in BBC.open(encoding="utf-8")]
    # A naive split is enough to time the scorer; segmentation is benchmarked elsewhere.
    sentences = [s.strip() for text in articles for s in text.split(". ") if s.strip()]
    model = load_model()
    model.score(sentences[:100])  # warm-up
    for batch in (len(sentences), 64):
        started = time.perf_counter()
        for i in range(0, len(sentences), batch):
            model.score(sentences[i : i + batch])
        elapsed = time.perf_counter() - started
        print(
            f"\ncheck-worthiness: {len(sentences)} BBC sentences from {len(articles)} articles, batch {batch}: "
            f"{elapsed:.2f}s, {len(sentences) / elapsed:,.0f} sentences/s, {len(articles) / elapsed:,.0f} articles/s"
        )
    record("check-worthiness", "model load", f"{load_s * 1000:.1f} ms")
    print(
        f"check-worthiness model load: {load_s * 1000:.1f} ms ({DEFAULT_MODEL_PATH.stat().st_size / 1e6:.2f} MB)"
    )
