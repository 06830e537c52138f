"""Markdown, CSV and JSON: the formats a producer pastes, a data team loads, a script reads."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

from ..services.factsheets import SCHEMA_VERSION, FactSheet, SheetClaim
from .base import Exporter

# --- Markdown ------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+!|~-])")


def md_escape(text: str) -> str:
    """Escape scraped text so it cannot open links, images or raw HTML in Markdown."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _autolink_url(url: str) -> str:
    # URLs are validated http(s) on the way in; percent-encode what could end the autolink.
    return url.replace("<", "%3C").replace(">", "%3E").replace(" ", "%20")


class MarkdownExporter(Exporter):
    identifier = "md"
    label = "Markdown"
    extension = "md"
    content_type = "text/markdown; charset=utf-8"

    def render(self, data: FactSheet) -> tuple[str, str, bytes]:
        lines = [f"# Fact sheet: {md_escape(data.title)}", ""]
        if data.version:
            lines.append(
                f"{md_escape(data.newsroom)} · version {data.version}"
                f" · published {data.published_at:%Y-%m-%d %H:%M} UTC"
            )
        else:
            lines.append(
                f"{md_escape(data.newsroom)} · draft generated {data.generated_at:%Y-%m-%d %H:%M} UTC"
            )
        if data.public_url:
            lines.append(f"Published at: <{_autolink_url(data.public_url)}>")
        if data.source_url:
            lines.append(f"Article: <{_autolink_url(data.source_url)}>")
        if data.byline:
            lines.append(f"Byline: {md_escape(data.byline)}")
        lines.append("")
        if data.partial:
            lines += [
                "**Partial fact sheet:** some claims were still being checked when it was published.",
                "",
            ]
        if data.correction_note:
            lines += [f"**Correction:** {md_escape(data.correction_note)}", ""]
        if not data.claims:
            lines.append("No checked claims yet.")
        for claim in data.claims:
            lines += [f"## {claim.position}. {md_escape(claim.text)}", ""]
            if claim.attribution:
                lines.append(f"- **Claimed by:** {md_escape(claim.attribution)}")
            if claim.status == "approved":
                lines += self._approved(claim)
            else:
                lines += [f"- **Not checkable:** {md_escape(claim.not_checkable_reason or '-')}", ""]
        return self.filename(data), self.content_type, "\n".join(lines).encode("utf-8")

    def _approved(self, claim: SheetClaim) -> list[str]:
        lines = [
            f"- **Verdict:** {md_escape(claim.verdict.name if claim.verdict else '-')}",
            f"- **Confidence:** {claim.confidence if claim.confidence is not None else '-'}/100",
        ]
        if claim.reviewer:
            lines.append(f"- **Reviewer:** {md_escape(claim.reviewer)}")
        lines += ["", md_escape(claim.summary), "", "**Sources:**", ""]
        if not claim.sources:
            lines.append("- none (no evidence needed for this verdict)")
        for source in claim.sources:
            details = [source.publisher, source.kind_label, source.stance_label]
            if source.accessed_on:
                details.append(f"accessed {source.accessed_on:%Y-%m-%d}")
            about = "; ".join(md_escape(d) for d in details if d)
            lines.append(
                f"- {md_escape(source.title or source.url)} ({about}): <{_autolink_url(source.url)}>"
            )
            if source.excerpt:
                lines.append(f"  > {md_escape(source.excerpt)}")
        lines.append("")
        return lines


# --- CSV -----------------------------------------------------------------

# Spreadsheets run a cell that starts with one of these as a formula (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

CSV_COLUMNS = [
    "article_id",
    "version",
    "position",
    "claim",
    "attribution",
    "via",
    "claim_type",
    "status",
    "verdict",
    "rating_value",
    "confidence",
    "summary",
    "reviewer",
    "approved_at",
    "not_checkable_reason",
    "source_urls",
    "source_count",
]


def csv_cell(value: Any) -> Any:
    """A cell value a spreadsheet shows as text: formula starters get a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, int):
        return value  # our numbers (ids, ratings, confidence) are never negative
    text = str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


class CSVExporter(Exporter):
    identifier = "csv"
    label = "CSV"
    extension = "csv"
    content_type = "text/csv; charset=utf-8"
    bom = False

    def render(self, data: FactSheet) -> tuple[str, str, bytes]:
        out = io.StringIO()
        writer = csv.writer(out)  # excel dialect: quotes as needed, CRLF rows
        writer.writerow(CSV_COLUMNS)
        for claim in data.claims:
            row = {
                "article_id": data.article_id,
                "version": data.version,
                "position": claim.position,
                "claim": claim.text,
                "attribution": claim.attribution,
                "via": claim.via,
                "claim_type": claim.claim_type,
                "status": claim.status,
                "verdict": claim.verdict.name if claim.verdict else "",
                "rating_value": claim.verdict.rating_value if claim.verdict else None,
                "confidence": claim.confidence,
                "summary": claim.summary,
                "reviewer": claim.reviewer,
                "approved_at": claim.approved_at.isoformat() if claim.approved_at else "",
                "not_checkable_reason": claim.not_checkable_reason,
                # Validated http(s) URLs hold no spaces once encoded, so a space separates them.
                "source_urls": " ".join(s.url.replace(" ", "%20") for s in claim.sources),
                "source_count": len(claim.sources),
            }
            writer.writerow([csv_cell(row[column]) for column in CSV_COLUMNS])
        encoding = "utf-8-sig" if self.bom else "utf-8"
        return self.filename(data), self.content_type, out.getvalue().encode(encoding)


class ExcelCSVExporter(CSVExporter):
    """The same CSV with a UTF-8 byte-order mark: Excel otherwise reads it as the local code page."""

    identifier = "csv-excel"
    label = "CSV for Excel"
    bom = True


# --- JSON ----------------------------------------------------------------

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schemas" / f"factsheet-v{SCHEMA_VERSION}.schema.json"


def factsheet_schema() -> dict[str, Any]:
    """The JSON Schema the JSON export follows (versioned with `schema_version`)."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


class JSONExporter(Exporter):
    identifier = "json"
    label = "JSON"
    extension = "json"
    content_type = "application/json"
    schema_version = SCHEMA_VERSION

    def render(self, data: FactSheet) -> tuple[str, str, bytes]:
        body = json.dumps(data.to_json(), ensure_ascii=False, indent=2)
        return self.filename(data), self.content_type, body.encode("utf-8")
