"""The shared cast, Celery modes and real worker processes for every test module."""

from __future__ import annotations

import contextlib
import itertools
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from articles.models import Article, Claim
from verify.celery import app as celery_app
from verify.run import die_with_parent

from . import factories

# Browser tests drive a live_server from a thread that also touches the ORM.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

BASE_DIR = Path(__file__).resolve().parent.parent
SHARED = BASE_DIR.parent / "shared"


@pytest.fixture(autouse=True)
def _celery_eager_by_default(request):
    """Unit tests run tasks inline; tests marked `worker` use a real worker process."""
    eager = request.node.get_closest_marker("worker") is None
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = eager
    celery_app.conf.task_eager_propagates = eager
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    # Fast hashing: the suite creates many users; production keeps the defaults.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(tmp_path / "mail")},
        }
    }
    settings.MEDIA_ROOT = str(tmp_path / "media")
    # The admins' two-factor gate is off for the suite, which logs the cast in
    # with force_login or the password form; tests/test_login_protection.py
    # turns it on (require_admin_otp) and checks it on every URL.
    settings.VERIFY_REQUIRE_ADMIN_OTP = False


@pytest.fixture
def require_admin_otp(settings):
    settings.VERIFY_REQUIRE_ADMIN_OTP = True


# --- the cast ------------------------------------------------------------


@pytest.fixture
def verdicts(db):
    factories.verdicts()
    from articles.models import Verdict

    return {v.name: v for v in Verdict.objects.all()}


@pytest.fixture
def admin_member(db):
    return factories.UserFactory(username="ada_admin", roles=["Admin"])


@pytest.fixture
def editor(db):
    return factories.UserFactory(username="eddie_editor", roles=["Editor"])


@pytest.fixture
def other_editor(db):
    return factories.UserFactory(username="emma_editor", roles=["Editor"])


@pytest.fixture
def reviewer(db):
    return factories.UserFactory(username="rita_reviewer", roles=["Reviewer"])


@pytest.fixture
def other_reviewer(db):
    return factories.UserFactory(username="rob_reviewer", roles=["Reviewer"])


@pytest.fixture
def outsider(db):
    """Logged in, but holds no role."""
    return factories.UserFactory(username="olly_outsider")


@pytest.fixture
def superuser(db):
    return factories.UserFactory(username="sam_super", is_superuser=True, is_staff=True)


@pytest.fixture
def sample_text() -> str:
    return (BASE_DIR / "articles" / "fixtures" / "russia-foreign-recruits.txt").read_text(encoding="utf-8")


_articles_made = itertools.count(1)


def make_article(n_claims: int, **kwargs) -> Article:
    body = f"Article {next(_articles_made)}.\n\n" + factories.article_body(n_claims)
    article = factories.ArticleFactory(body=body, **kwargs)
    cursor = 0
    claims = []
    for i in range(n_claims):
        text = factories.SENTENCE.format(n=i + 1, year=2000 + i % 25)
        start = body.index(text, cursor)
        cursor = start + len(text)
        claims.append(Claim(article=article, text=text, start=start, end=cursor))
    Claim.objects.bulk_create(claims)
    return article


# --- real worker processes -----------------------------------------------


def worker_env() -> dict[str, str]:
    """Environment that points a worker process at this test run's database."""
    env = dict(os.environ)
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        env.pop("DATABASE_URL", None)
        env["SQLITE_PATH"] = str(db["NAME"])
    else:
        auth = quote(db["USER"] or "")
        if db.get("PASSWORD"):
            auth += ":" + quote(db["PASSWORD"])
        env["DATABASE_URL"] = (
            f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"
        )
    env["CELERY_QUEUE"] = celery_app.conf.task_default_queue
    from django.conf import settings

    env["MEDIA_ROOT"] = str(settings.MEDIA_ROOT)  # uploads saved by the test, read by the worker
    return env


class Worker:
    def __init__(self, proc: subprocess.Popen, log_path: Path) -> None:
        self.proc = proc
        self.log_path = log_path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    @property
    def pool_pids(self) -> list[int]:
        """The prefork pool's child processes (they run the tasks)."""
        import subprocess as sp

        out = sp.run(["pgrep", "-P", str(self.proc.pid)], capture_output=True, text=True).stdout
        return [int(pid) for pid in out.split()]

    def kill(self) -> None:
        """SIGKILL the main process, as a crash or an OOM kill would."""
        import signal

        pool = self.pool_pids
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        for pid in pool:  # orphaned pool children would otherwise finish their task
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def start_worker(*, concurrency: int = 1, name: str = "w1", env: dict[str, str] | None = None) -> Worker:
    if not os.environ.get("REDIS_URL"):
        pytest.fail("REDIS_URL is not set: run the suite with `make test`, which starts a private Redis.")
    log_path = Path(tempfile.mkdtemp(prefix="verify-worker-")) / f"{name}.log"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "verify",
            "worker",
            "-l",
            "info",
            "-n",
            f"{name}-{os.getpid()}@%h",
            "-Q",
            celery_app.conf.task_default_queue,
            "--concurrency",
            str(concurrency),
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=BASE_DIR,
        env={**worker_env(), **(env or {})},
        stdout=log_path.open("w"),
        stderr=subprocess.STDOUT,
        preexec_fn=die_with_parent,  # never outlives an interrupted test run
    )
    worker = Worker(proc, log_path)
    deadline = time.monotonic() + 60
    while " ready." not in worker.log():
        if proc.poll() is not None or time.monotonic() > deadline:
            worker.stop()
            pytest.fail("Celery worker did not start:\n" + worker.log()[-3000:])
        time.sleep(0.2)
    return worker


@pytest.fixture
def celery_worker_process(transactional_db):
    worker = start_worker()
    yield worker
    worker.stop()


def wait_for(predicate, *, timeout: float = 60, interval: float = 0.2, message: str = "condition"):
    """Poll until predicate() is truthy: waits for work, never asserts on time."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"Timed out waiting for {message}")
        time.sleep(interval)


@contextlib.contextmanager
def celery_broker(url: str):
    """Send this process's tasks to another broker (a test's own Redis) for the duration."""

    def drop_pools():
        # Celery caches a connection pool and a producer pool per app; the next
        # send builds them again from broker_url.
        celery_app._pool = None
        celery_app.amqp._producer_pool = None

    previous = celery_app.conf.broker_url
    drop_pools()
    celery_app.conf.broker_url = url
    try:
        yield
    finally:
        drop_pools()
        celery_app.conf.broker_url = previous
