"""Body extraction on news_html: P/R/F1 of plain trafilatura and ours, and pages/s.

Run with `make bench`. Prints figures; never fails on speed.
"""

from __future__ import annotations

import logging

import pytest

from articles.importing.evaluate_body import load_pages, run, table

from ..conftest import SHARED

NEWS_HTML = SHARED / "data" / "news_html"

pytestmark = pytest.mark.bench


@pytest.mark.skipif(not NEWS_HTML.exists(), reason=f"{NEWS_HTML} is absent (../shared/data not available)")
def test_bench_body_extraction_on_news_html():
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    pages = load_pages(NEWS_HTML)
    results = run(pages)
    print("\nBENCH " + table(results, pages=len(pages)))
    for result in results:
        print(
            f"BENCH {result.name}: {result.pages_per_second:.1f} pages/s "
            f"({result.seconds:.1f} s for {len(pages)} pages)"
        )
