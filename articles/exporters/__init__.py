"""Fact-sheet exporters: one contract, one registry (pretix's exporter pattern).

Every format takes the plain `FactSheet` data and returns
`(filename, content_type, bytes)`; views, tasks and commands look exporters
up here by identifier and never touch format code.
"""

from __future__ import annotations

from .base import Exporter
from .claimreview import ClaimReviewExporter, claimreview_document, json_for_script
from .html import HTMLExporter, PDFExporter, render_sheet_html, sheet_context
from .text import (
    SCHEMA_PATH,
    CSVExporter,
    ExcelCSVExporter,
    JSONExporter,
    MarkdownExporter,
    csv_cell,
    factsheet_schema,
    md_escape,
)

EXPORTERS: dict[str, Exporter] = {
    e.identifier: e
    for e in (
        HTMLExporter(),
        PDFExporter(),
        MarkdownExporter(),
        CSVExporter(),
        ExcelCSVExporter(),
        JSONExporter(),
        ClaimReviewExporter(),
    )
}

__all__ = [
    "EXPORTERS",
    "SCHEMA_PATH",
    "Exporter",
    "claimreview_document",
    "csv_cell",
    "factsheet_schema",
    "json_for_script",
    "md_escape",
    "render_sheet_html",
    "sheet_context",
]
