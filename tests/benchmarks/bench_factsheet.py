"""Fact-sheet render times for a 100-claim sheet: HTML (template) and PDF (WeasyPrint).

The sheet is built in memory (no database): these figures are the exporters' own
cost. Prints the mean and best of a few runs and the output sizes; never fails
on the figures.
"""

from __future__ import annotations

import statistics
import time
from datetime import UTC, date, datetime

import pytest

from articles.exporters import EXPORTERS
from articles.services.factsheets import FactSheet, SheetClaim, SheetSource, SheetVerdict

from .conftest import record

pytestmark = pytest.mark.bench

CLAIMS = 100
RUNS = 5

SCALE = [
    SheetVerdict("True", 5, "#1a7f37", "The claim is accurate."),
    SheetVerdict("Mostly true", 4, "#4d9a3a", "Accurate but needs clarification or context."),
    SheetVerdict("Mixed", 3, "#b58900", "Partly accurate, partly not."),
    SheetVerdict("False", 1, "#cf222e", "The claim is inaccurate."),
    SheetVerdict("Unverifiable", None, "#6e7781", "The evidence available cannot confirm or refute it."),
]


def sheet_of(n_claims: int) -> FactSheet:
    now = datetime(2025, 3, 4, 9, 0, tzinfo=UTC)
    claims = []
    for i in range(1, n_claims + 1):
        if i % 10 == 0:
            claims.append(
                SheetClaim(
                    id=i,
                    position=i,
                    text=f"Claim {i}: this is the best budget the country has ever had.",
                    status="not_checkable",
                    not_checkable_reason="An opinion, not a statement of fact.",
                )
            )
            continue
        sources = [
            SheetSource(
                url=f"https://stats.example.org/table/{i}/{k}",
                title=f"Official statistics table {i}.{k}",
                publisher="Office for National Statistics",
                excerpt="The figure for the year was 4.2%, up from 3.9% a year earlier. " * 2,
                accessed_on=date(2025, 3, 2),
                stance="supports" if k == 1 else "context",
                stance_label="Supports the claim" if k == 1 else "Gives context",
                kind="official_statistic",
                kind_label="Official statistic",
            )
            for k in (1, 2)
        ]
        claims.append(
            SheetClaim(
                id=i,
                position=i,
                text=f"The ministry said that {i} new schools opened in the region in {2000 + i % 25}.",
                status="approved",
                attribution="Ministry of Education" if i % 2 else "Jane Smith",
                verdict=SCALE[i % len(SCALE)],
                confidence=50 + i % 50,
                summary="Regional statistics confirm the number of openings, with a small revision. " * 3,
                reviewer="Rita Reviewer",
                approved_at=now,
                sources=sources,
            )
        )
    return FactSheet(
        newsroom="Verify newsroom",
        newsroom_url="https://verify.example.org",
        article_id=1,
        title="A long article with a hundred checked claims",
        source_url="https://news.example/long-article",
        byline="By Ann Writer",
        site_name="The Example News",
        article_published_at=now,
        generated_at=now,
        best_rating=5,
        worst_rating=1,
        claims=claims,
        version=1,
        published_at=now,
        public_url="https://verify.example.org/f/long-article/v1/",
    )


def _time(fmt: str, data: FactSheet) -> tuple[list[float], int]:
    EXPORTERS[fmt].render(data)  # warm-up: template loading, WeasyPrint import and font set-up
    seconds, size = [], 0
    for _ in range(RUNS):
        started = time.perf_counter()
        _, _, body = EXPORTERS[fmt].render(data)
        seconds.append(time.perf_counter() - started)
        size = len(body)
    return seconds, size


def _report(label: str, seconds: list[float], size: int, extra: str = "") -> None:
    record("fact sheet", label, f"{statistics.mean(seconds) * 1000:.0f} ms mean, {size / 1024:.0f} KiB")
    print(
        f"\n{label}: mean {statistics.mean(seconds) * 1000:.0f} ms, best {min(seconds) * 1000:.0f} ms"
        f" over {RUNS} runs, {size / 1024:.0f} KiB{extra}"
    )


def test_bench_html_100_claims():
    seconds, size = _time("html", sheet_of(CLAIMS))
    _report(f"HTML, {CLAIMS} claims", seconds, size)


def test_bench_pdf_100_claims():
    import io

    import pypdf
    from weasyprint.text.ffi import harfbuzz_subset

    data = sheet_of(CLAIMS)
    seconds, size = _time("pdf", data)
    pages = len(pypdf.PdfReader(io.BytesIO(EXPORTERS["pdf"].render(data)[2])).pages)
    subsetter = "HarfBuzz" if harfbuzz_subset is not None else "fontTools (install libharfbuzz-subset0)"
    _report(f"PDF, {CLAIMS} claims", seconds, size, f", {pages} pages, fonts subset by {subsetter}")
