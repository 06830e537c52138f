from django.core.management.base import BaseCommand

from articles.services.imports import purge_old_uploads


class Command(BaseCommand):
    help = "Delete uploaded import files kept past VERIFY_IMPORT_RETENTION_DAYS (beat runs this hourly)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--days", type=int, default=None, help="Override the retention period.")

    def handle(self, *args, days: int | None, **options) -> None:
        removed = purge_old_uploads(older_than_days=days)
        self.stdout.write(f"Deleted {removed} kept upload file(s).")
