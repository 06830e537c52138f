"""Development only: demo users and the sample article. Safe to run any number of times."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.models import Article, ImportItem, content_hash
from articles.services.imports import process_item, start_paste_import
from verify.accounts.models import User

FIXTURES = Path(settings.BASE_DIR) / "articles" / "fixtures"
SAMPLE_TITLE = "Putin signs law allowing foreigners to enlist in Russian military"
DEMO_USERS = [
    # username, groups, superuser
    ("admin", ["Admin"], True),
    ("editor", ["Editor"], False),
    ("reviewer", ["Reviewer"], False),
]


def credentials_file() -> Path:
    return Path(settings.VAR_DIR) / "demo-credentials.txt"


class Command(BaseCommand):
    help = "Create the demo users (admin, editor, reviewer) and import the sample article."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("seed_demo is for development only (DEBUG is false).")
        password = self._password()
        with transaction.atomic():
            for username, groups, superuser in DEMO_USERS:
                user, created = User.objects.get_or_create(
                    username=username,
                    defaults={
                        "email": f"{username}@example.org",
                        "is_superuser": superuser,
                        "is_staff": superuser,
                        "first_name": username.capitalize(),
                    },
                )
                if created or os.environ.get("DEMO_PASSWORD"):
                    user.set_password(password)
                    user.save()
                user.groups.set(Group.objects.filter(name__in=groups))
        self._import_sample(User.objects.get(username="editor"))

    def _password(self) -> str:
        path = credentials_file()
        if os.environ.get("DEMO_PASSWORD"):
            password = os.environ["DEMO_PASSWORD"]
        elif path.exists():
            return path.read_text().split("password: ", 1)[1].split()[0]
        else:
            password = secrets.token_urlsafe(12)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Readable only by its owner: these are working logins.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(f"users: admin, editor, reviewer\npassword: {password}\n")
        os.chmod(path, 0o600)
        self.stdout.write(f"Demo users admin, editor and reviewer; password: {password}  (kept in {path})")
        if settings.VERIFY_REQUIRE_ADMIN_OTP:
            self.stdout.write(
                "Two-factor is required for admins: the demo admin sets up an authenticator app first."
            )
        return password

    def _import_sample(self, editor: User) -> None:
        text = (FIXTURES / "russia-foreign-recruits.txt").read_text(encoding="utf-8")
        if Article.objects.filter(content_hash=content_hash(text)).exists():
            return
        # The same service as a paste in the web UI, run here in-process so the
        # demo article exists before the worker starts.
        job = start_paste_import(title=SAMPLE_TITLE, text=text, submitted_by=editor)
        for item_id in ImportItem.objects.filter(job=job).values_list("id", flat=True):
            process_item(item_id=item_id)
        self.stdout.write(f"Imported the sample article: {SAMPLE_TITLE}")
