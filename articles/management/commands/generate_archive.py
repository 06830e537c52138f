"""A synthetic archive for load tests and benchmarks: `generate_archive --articles N --claims M`."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from articles.services.archive import Totals, generate_archive


class Command(BaseCommand):
    help = "Bulk-insert a realistic archive: articles, claims in every status, reviews, comments, history."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--articles", type=int, required=True)
        parser.add_argument("--claims", type=int, required=True)
        parser.add_argument("--reviewers", type=int, default=20)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--chunk", type=int, default=500, help="Articles per transaction.")

    def handle(self, *args, articles: int, claims: int, reviewers: int, seed: int, chunk: int, **options):
        started = time.monotonic()

        def progress(totals: Totals) -> None:
            elapsed = time.monotonic() - started
            self.stdout.write(
                f"{totals.articles:>9} articles {totals.claims:>10} claims "
                f"{totals.history:>10} history rows  {elapsed:7.1f} s  "
                f"({totals.claims / elapsed if elapsed else 0:,.0f} claims/s)"
            )

        try:
            totals = generate_archive(
                n_articles=articles,
                n_claims=claims,
                n_reviewers=reviewers,
                seed=seed,
                chunk=chunk,
                progress=progress,
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        elapsed = time.monotonic() - started
        statuses = ", ".join(f"{s} {n}" for s, n in sorted(totals.statuses.items()))
        self.stdout.write(
            self.style.SUCCESS(
                f"Done in {elapsed:.1f} s: {totals.articles} articles, {totals.claims} claims ({statuses}), "
                f"{totals.assignments} assignments, {totals.reviews} reviews, {totals.sources} sources, "
                f"{totals.comments} comments, {totals.notifications} notifications, "
                f"{totals.history} history rows."
            )
        )
