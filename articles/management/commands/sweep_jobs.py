from django.core.management.base import BaseCommand

from articles.services.faults import sweep_jobs


class Command(BaseCommand):
    help = (
        "Re-send queued imports and exports whose message may be lost, and requeue those held by dead "
        "workers (what the beat task `articles.sweep_jobs` does; for cron users without beat)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--queued-age", type=float, default=None, help="Seconds (default VERIFY_SWEEP_QUEUED_AGE)."
        )

    def handle(self, *args, queued_age: float | None = None, **options) -> None:
        self.stdout.write(str(sweep_jobs(queued_age=queued_age)))
