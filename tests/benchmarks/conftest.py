"""One table at the end of `make bench`: the headline figures of every benchmark that ran.

Each benchmark prints its own detail as it runs and calls `record()` with the figures
that matter; `pytest_terminal_summary` prints them together, in the order they came,
so a run ends with a single table to paste into a note.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    area: str
    measure: str
    value: str


FIGURES: list[Figure] = []


def record(area: str, measure: str, value: str) -> None:
    """Add one row to the closing table, e.g. record("import", "2 workers", "41.2 articles/s")."""
    FIGURES.append(Figure(area, measure, value))


def pytest_terminal_summary(terminalreporter) -> None:
    if not FIGURES:
        return
    rows = [("area", "measure", "figure"), *((f.area, f.measure, f.value) for f in FIGURES)]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    terminalreporter.section("Verify benchmarks: all figures")
    for n, row in enumerate(rows):
        terminalreporter.write_line(
            "| " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) + " |"
        )
        if n == 0:
            terminalreporter.write_line("|" + "|".join("-" * (w + 2) for w in widths) + "|")
