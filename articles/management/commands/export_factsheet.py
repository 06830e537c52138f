"""Write an article's fact sheet in one format, from its current data or a published version.

python manage.py export_factsheet ARTICLE_ID --format pdf [--version N] [-o FILE]
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.exporters import EXPORTERS
from articles.models import Article, PublicationVersion
from articles.services.factsheets import build_factsheet
from articles.services.publishing import version_sheet


class Command(BaseCommand):
    help = "Export an article's fact sheet (html, pdf, md, csv, json, claimreview)."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs):
        # The issue's `--version N` (a published version) replaces Django's own --version flag here.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser) -> None:
        parser.add_argument("article_id", type=int)
        parser.add_argument("--format", dest="fmt", required=True, choices=sorted(EXPORTERS))
        parser.add_argument(
            "--version", type=int, default=None, help="A published version (default: current data)."
        )
        parser.add_argument(
            "-o", "--output", default=None, help="File to write (default: the exporter's file name)."
        )

    def handle(
        self, *args, article_id: int, fmt: str, version: int | None, output: str | None, **options
    ) -> None:
        article = Article.objects.filter(pk=article_id).first()
        if article is None:
            raise CommandError(f"No article {article_id}.")
        if version is None:
            sheet = build_factsheet(article=article)
        else:
            row = PublicationVersion.objects.filter(publication__article=article, number=version).first()
            if row is None:
                raise CommandError(f"Article {article_id} has no published version {version}.")
            sheet = version_sheet(row)
        filename, _content_type, body = EXPORTERS[fmt].render(sheet)
        if output == "-":
            sys.stdout.buffer.write(body)
            return
        path = Path(output or filename)
        path.write_bytes(body)
        self.stderr.write(f"Wrote {path} ({len(body):,} bytes).")
