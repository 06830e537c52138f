import os
import socket

from django.core.management.base import BaseCommand, CommandError

from articles.services.faults import worker_is_healthy


class Command(BaseCommand):
    help = (
        "Exit 0 when the worker has written a heartbeat within VERIFY_WORKER_STALE_AGE (compose healthcheck)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--hostname",
            default=f"celery@{os.environ.get('HOSTNAME') or socket.gethostname()}",
            help="The worker's node name (default celery@$HOSTNAME, Celery's own default).",
        )

    def handle(self, *args, hostname: str, **options) -> None:
        if not worker_is_healthy(hostname):
            raise CommandError(f"{hostname}: no recent heartbeat")
        self.stdout.write(f"{hostname}: alive")
