"""Fact-sheet exporters: one contract, one registry (pretix's exporter pattern)."""

from __future__ import annotations

import json
import re
from typing import ClassVar

from django.utils.text import slugify

from .services.factsheets import FactSheet


class Exporter:
    identifier: ClassVar[str]
    label: ClassVar[str]
    extension: ClassVar[str]
    content_type: ClassVar[str]

    def render(self, data: FactSheet) -> tuple[str, str, bytes]:
        raise NotImplementedError

    def filename(self, data: FactSheet) -> str:
        return f"factsheet-{data.article_id}-{slugify(data.title)[:60] or 'article'}.{self.extension}"


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
        lines.append(f"{md_escape(data.newsroom)} · generated {data.generated_at:%Y-%m-%d %H:%M} UTC")
        if data.source_url:
            lines.append(f"Article: <{_autolink_url(data.source_url)}>")
        lines.append("")
        if not data.claims:
            lines.append("No approved claims yet.")
        for n, claim in enumerate(data.claims, 1):
            lines += [
                f"## {n}. {md_escape(claim.text)}",
                "",
                f"- **Verdict:** {md_escape(claim.verdict.name if claim.verdict else '-')}",
                f"- **Confidence:** {claim.confidence if claim.confidence is not None else '-'}/100",
                f"- **Reviewer:** {md_escape(claim.reviewer or '-')}",
                "",
                md_escape(claim.summary),
                "",
                "**Sources:**",
                "",
            ]
            if not claim.sources:
                lines.append("- none (no evidence needed for this verdict)")
            for source in claim.sources:
                title = md_escape(source.title or source.url)
                lines.append(f"- {title}: <{_autolink_url(source.url)}>")
                if source.excerpt:
                    lines.append(f"  > {md_escape(source.excerpt)}")
            lines.append("")
        return self.filename(data), self.content_type, "\n".join(lines).encode("utf-8")


class JSONExporter(Exporter):
    identifier = "json"
    label = "JSON"
    extension = "json"
    content_type = "application/json"
    schema_version = 1

    def render(self, data: FactSheet) -> tuple[str, str, bytes]:
        body = json.dumps(data.to_json(), ensure_ascii=False, indent=2)
        return self.filename(data), self.content_type, body.encode("utf-8")


EXPORTERS: dict[str, Exporter] = {e.identifier: e for e in (MarkdownExporter(), JSONExporter())}
