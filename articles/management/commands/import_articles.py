"""Import articles from files, URLs or a feed through the same service as the web UI."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError

from articles.models import ImportItem, ImportJob
from articles.services import imports
from verify.accounts.models import User

BULK_SUFFIXES = (".csv", ".jsonl", ".ndjson")


class Command(BaseCommand):
    help = (
        "Import articles: files (.txt .md .html .docx .pdf), bulk files (.csv .jsonl), web page URLs, "
        "or with --feed an RSS/Atom feed URL. Writes are recorded as --user."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("sources", nargs="+", metavar="PATH_OR_URL")
        parser.add_argument("--feed", action="store_true", help="Each URL is a feed: import its entries.")
        parser.add_argument("--user", default="", help="Username the import is recorded as (an editor).")
        parser.add_argument("--wait", action="store_true", help="Wait for the jobs and show progress.")
        parser.add_argument(
            "--inline", action="store_true", help="Process the items in this process instead of a worker."
        )

    def handle(self, *args, sources: list[str], feed: bool, user: str, wait: bool, inline: bool, **options):
        actor = self._user(user)
        urls = [s for s in sources if s.startswith(("http://", "https://"))]
        paths = [Path(s) for s in sources if s not in urls]
        missing = [str(p) for p in paths if not p.is_file()]
        if missing:
            raise CommandError(f"No such file: {', '.join(missing)}")
        jobs: list[ImportJob] = []
        bulk = [p for p in paths if p.suffix.lower() in BULK_SUFFIXES]
        files = [p for p in paths if p not in bulk]
        for path in bulk:
            jobs.append(imports.start_bulk_import(upload=_upload(path), submitted_by=actor))
        if files:
            jobs.append(imports.start_file_import(files=[_upload(p) for p in files], submitted_by=actor))
        if urls and feed:
            jobs += [imports.start_feed_import(feed_url=u, submitted_by=actor) for u in urls]
        elif urls:
            jobs.append(imports.start_url_import(urls=urls, submitted_by=actor))
        for job in jobs:
            self.stdout.write(f"{job}: {job.get_source_display()} {job.label}")
        if inline:
            self._run_inline(jobs)
        if wait or inline:
            self._wait(jobs)

    def _user(self, username: str) -> User:
        if not username:
            user = User.objects.filter(is_superuser=True).order_by("pk").first()
            if user is None:
                raise CommandError("Give --user NAME: the editor the import is recorded as.")
            return user
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"No user named {username!r}.") from None
        if not user.has_perm("articles.work_desk"):
            raise CommandError(f"{username} is not an editor: imports are recorded as an editor's work.")
        return user

    def _run_inline(self, jobs: list[ImportJob]) -> None:
        for job in jobs:
            if job.source in (ImportJob.Source.FEED, ImportJob.Source.BULK):
                try:
                    imports.expand_job(job_id=job.pk)
                except imports.TransientImportProblem as exc:
                    self.stderr.write(f"{job}: {exc}")
            for item_id in ImportItem.objects.filter(job=job, status="queued").values_list("id", flat=True):
                try:
                    imports.process_item(item_id=item_id)
                except imports.TransientImportProblem as exc:
                    # The item is queued again with its message; a worker or a retry takes it later.
                    self.stderr.write(f"item {item_id}: {exc}")

    def _wait(self, jobs: list[ImportJob]) -> None:
        ids = [j.pk for j in jobs]
        while True:
            counts = ImportItem.objects.filter(job_id__in=ids).counts()
            for job_id in ids:
                imports.finish_job_if_complete(job_id)  # closes a job whose last check was lost
            pending = ImportJob.objects.filter(pk__in=ids, status__in=["queued", "running"]).exists()
            self._bar(counts)
            if not pending:
                break
            time.sleep(0.5)
        self.stdout.write("")
        for job in ImportJob.objects.filter(pk__in=ids):
            if job.error:
                self.stderr.write(f"{job}: {job.error}")
            for item in job.items.filter(status__in=["failed", "changed"]):
                self.stderr.write(f"  {item.label}: {item.get_status_display()}: {item.error}")

    def _bar(self, counts: dict) -> None:
        width = 30
        filled = width * counts["progress"] // 100
        line = (
            f"\r[{'#' * filled}{'.' * (width - filled)}] {counts['finished']}/{counts['total']} "
            f"done {counts['done']} duplicate {counts['duplicate']} changed {counts['changed']} "
            f"failed {counts['failed']}"
        )
        self.stdout.write(line, ending="")
        sys.stdout.flush()


def _upload(path: Path) -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes())
