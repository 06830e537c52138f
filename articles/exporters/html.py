"""The print-ready HTML page, and the PDF made from the same HTML.

`templates/factsheets/sheet.html` is also the public page and the in-app
preview: views render it with `sheet_context(...)` or call
`render_sheet_html(...)`, so every form of the sheet shows the same facts.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from ..services.factsheets import FactSheet
from .base import Exporter

TEMPLATE = "factsheets/sheet.html"


def sheet_context(
    data: FactSheet, *, for_print: bool, newer_version_url: str = "", static_base: str = ""
) -> dict[str, Any]:
    """The template's context.

    `for_print` prints source URLs in full (paper has no links). `newer_version_url`
    shows the "a newer version exists" notice on an old public version. `static_base`
    replaces `{% static %}` for the stylesheet (the PDF's fetcher origin).
    """
    return {
        "sheet": data,
        "for_print": for_print,
        "newer_version_url": newer_version_url,
        "static_base": static_base,
    }


def render_sheet_html(
    data: FactSheet, *, for_print: bool, newer_version_url: str = "", static_base: str = ""
) -> str:
    """The sheet as a standalone HTML document (public page, preview, print, PDF)."""
    context = sheet_context(
        data, for_print=for_print, newer_version_url=newer_version_url, static_base=static_base
    )
    return render_to_string(TEMPLATE, context)


class HTMLExporter(Exporter):
    identifier = "html"
    label = "HTML"
    extension = "html"
    content_type = "text/html; charset=utf-8"
    inline = True

    def render(self, data: FactSheet) -> tuple[str, str, bytes]:
        return self.filename(data), self.content_type, render_sheet_html(data, for_print=True).encode("utf-8")


class PDFExporter(Exporter):
    identifier = "pdf"
    label = "PDF"
    extension = "pdf"
    content_type = "application/pdf"

    def render(self, data: FactSheet) -> tuple[str, str, bytes]:
        # Imported here: WeasyPrint loads Pango through cffi (about a second), which only PDFs need.
        from .pdf import PDF_STATIC_BASE, html_to_pdf

        html = render_sheet_html(data, for_print=True, static_base=PDF_STATIC_BASE)
        return self.filename(data), self.content_type, html_to_pdf(html)
