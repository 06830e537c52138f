"""Preview extraction on a file: one JSON object per claim (or per sentence). No database."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.extraction import extract
from articles.extraction.checkworthiness import configured_threshold


class Command(BaseCommand):
    help = (
        "Print the claims the engine finds in a .txt or .html file, one JSON object per line. "
        "With --sentences, each input line is one sentence: print its score and is_claim."
    )
    requires_system_checks = []  # touches no database

    def add_arguments(self, parser) -> None:
        parser.add_argument("path")
        parser.add_argument("--sentences", action="store_true", help="Score each line as one sentence.")
        parser.add_argument("--threshold", type=float, default=None, help="Claim threshold, 0..1.")

    def handle(self, *args, path: str, sentences: bool, threshold: float | None, **options) -> None:
        threshold = configured_threshold() if threshold is None else threshold
        if not 0 <= threshold <= 1:
            raise CommandError("--threshold is a number between 0 and 1.")
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"No such file: {path}")
        raw = file.read_bytes()
        if sentences:
            self._sentences(raw.decode("utf-8", errors="replace"), threshold)
            return
        text, language = self._text(raw, file)
        extraction = extract(text, threshold=threshold, language=language)
        if extraction.notice:
            self.stderr.write(extraction.notice)
        for draft in extraction.claims:
            self.stdout.write(json.dumps(draft.as_json(), ensure_ascii=False))

    def _text(self, raw: bytes, file: Path) -> tuple[str, str]:
        head = raw[:2048].lstrip().lower()
        if file.suffix.lower() in {".html", ".htm"} or head.startswith((b"<!doctype html", b"<html")):
            from articles.importing.html import ExtractionError, extract_article

            try:
                page = extract_article(raw)
            except ExtractionError as exc:
                raise CommandError(str(exc)) from None
            return page.body, page.language or ""
        return raw.decode("utf-8", errors="replace"), ""

    def _sentences(self, text: str, threshold: float) -> None:
        from articles.extraction.checkworthiness import score_sentences
        from articles.extraction.rules import analyse_sentences
        from articles.extraction.segment import Span

        lines = [line for line in text.splitlines() if line.strip()]
        scores = score_sentences(lines)
        for line, score in zip(lines, scores, strict=True):
            [analysis] = analyse_sentences(line, [Span(0, len(line), line)])
            self.stdout.write(
                json.dumps(
                    {
                        "text": line,
                        "score": round(score, 4),
                        "is_claim": analysis.is_claim and score >= threshold,
                    },
                    ensure_ascii=False,
                )
            )
