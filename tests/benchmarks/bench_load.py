"""Page latency and throughput at scale: gunicorn on loopback over a generated archive on PostgreSQL.

Run with `make bench` and DATABASE_URL set to PostgreSQL. The archive (VERIFY_BENCH_CLAIMS
claims, default 1,000,000, in VERIFY_BENCH_ARTICLES articles) lives in its own database,
VERIFY_BENCH_DB (default verify_bench) on the same server, created if missing and reused
when `generate_archive` marked it with the same size. For each page: p50/p95 at a fixed
20 requests/s (open loop, VERIFY_BENCH_SECONDS, default 30) and the saturated throughput
(closed loop, VERIFY_BENCH_CLIENTS clients for VERIFY_BENCH_SATURATE_SECONDS, default 10),
measured by tests/benchmarks/loadgen.py in a second process; `/health/` is the ceiling.
VERIFY_BENCH_PAGES (words of the paths, comma-separated) limits the run to some pages.
Prints one table; never fails on the figures.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from .conftest import record

pytestmark = pytest.mark.bench

ROOT = Path(__file__).resolve().parents[2]
LOADGEN = Path(__file__).with_name("loadgen.py")
CLAIMS = int(os.environ.get("VERIFY_BENCH_CLAIMS", "1000000"))
ARTICLES = int(os.environ.get("VERIFY_BENCH_ARTICLES", str(max(1, CLAIMS // 50))))
RATE = float(os.environ.get("VERIFY_BENCH_RATE", "20"))
SECONDS = float(os.environ.get("VERIFY_BENCH_SECONDS", "30"))
SATURATE_SECONDS = float(os.environ.get("VERIFY_BENCH_SATURATE_SECONDS", "10"))
CLIENTS = int(os.environ.get("VERIFY_BENCH_CLIENTS", "8"))
WORKERS = int(os.environ.get("VERIFY_BENCH_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
DB_NAME = os.environ.get("VERIFY_BENCH_DB", "verify_bench")
DATABASE_URL = os.environ.get("DATABASE_URL", "")

if urlsplit(DATABASE_URL).scheme not in {"postgres", "postgresql", "pgsql"}:
    pytest.skip("the load benchmark needs DATABASE_URL on PostgreSQL", allow_module_level=True)

# Who asks for what, and which page: filled in by SETUP over the generated data.
SETUP = """
import json
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db.models import Count, Q
from articles.models import Article, Assignment
from verify.accounts.models import User

def session(user):
    backend = "django.contrib.auth.backends.ModelBackend"
    if backend not in settings.AUTHENTICATION_BACKENDS:
        backend = settings.AUTHENTICATION_BACKENDS[-1]
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = backend
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"

editor = User.objects.get(username="archive-editor-1")
reviewer = (
    User.objects.filter(username__startswith="archive-reviewer-")
    .annotate(n=Count("assignments", filter=Q(assignments__closed_at__isnull=True)))
    .order_by("-n").first()
)
assignment = Assignment.objects.filter(reviewer=reviewer, closed_at__isnull=True).order_by("-id").first()
# An article with open work and about the median number of claims.
live = Article.objects.exclude(progress="all_approved").order_by("-id")[:200]
article = sorted(live, key=lambda a: a.n_claims + a.n_candidate + a.n_discarded)[len(live) // 2]
pages = Article.objects.count() // 50
print(json.dumps({
    "editor": session(editor),
    "reviewer": session(reviewer),
    "article": article.pk,
    "article_claims": article.n_claims + article.n_candidate + article.n_discarded,
    "claim": assignment.claim_id,
    "queue": Assignment.objects.filter(reviewer=reviewer, closed_at__isnull=True).count(),
    "deep_page": max(1, pages * 9 // 10),
}))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _bench_env() -> dict[str, str]:
    parts = urlsplit(DATABASE_URL)
    env = dict(os.environ)
    env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{DB_NAME}"))
    env.update(DEBUG="false", SECRET_KEY=secrets.token_urlsafe(40), ALLOWED_HOSTS="127.0.0.1,localhost")
    return env


def _manage(env: dict[str, str], *args: str, capture: bool = False) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return result.stdout or ""


def _ensure_archive(env: dict[str, str]) -> None:
    import psycopg

    admin_url = urlunsplit(urlsplit(DATABASE_URL)._replace(path="/postgres", scheme="postgresql"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone():
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    _manage(env, "migrate", "-v0")
    label = f"Generated archive: {ARTICLES} articles, {CLAIMS} claims"
    bench_url = urlunsplit(urlsplit(env["DATABASE_URL"])._replace(scheme="postgresql"))
    with psycopg.connect(bench_url) as conn:
        marked = conn.execute("SELECT 1 FROM articles_importjob WHERE label = %s", [label]).fetchone()
        has_articles = conn.execute("SELECT EXISTS (SELECT 1 FROM articles_article)").fetchone()[0]
    if marked:
        print(f"\nReusing the archive in {DB_NAME} ({label}).")
        return
    if has_articles:
        pytest.skip(f"{DB_NAME} holds another archive: drop it or set VERIFY_BENCH_DB")
    started = time.perf_counter()
    _manage(env, "generate_archive", "--articles", str(ARTICLES), "--claims", str(CLAIMS))
    print(f"Generated {CLAIMS} claims in {time.perf_counter() - started:.0f} s.")
    with psycopg.connect(bench_url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")  # fresh statistics, as autovacuum would have by morning


def _start_gunicorn(env: dict[str, str], port: int) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    proc = subprocess.Popen(
        [str(gunicorn), "verify.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS),
         "--access-logfile", "/dev/null", "--error-logfile", "-", "--log-level", "warning",
         "--keep-alive", "30"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=2) as response:
                if response.status == 200:
                    return proc
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    raise RuntimeError("gunicorn did not answer /health/ within 60 s")


def _loadgen(mode: str, url: str, cookie: str, *, seconds: float) -> dict:
    args = [sys.executable, str(LOADGEN), mode, "--url", url, "--cookie", cookie, "--seconds", str(seconds)]
    args += ["--rate", str(RATE)] if mode == "open" else ["--clients", str(CLIENTS)]
    return json.loads(subprocess.run(args, check=True, text=True, stdout=subprocess.PIPE).stdout)


def test_bench_pages_at_scale(tmp_path):
    env = _bench_env()
    _ensure_archive(env)
    # Production static storage reads a manifest: build one, as a deploy would.
    env["STATIC_ROOT"] = str(tmp_path / "static")
    _manage(env, "collectstatic", "--noinput", "-v0")
    cast = json.loads(_manage(env, "shell", "-c", SETUP, capture=True).strip().splitlines()[-1])
    pages = [
        ("bare view /health/ (ceiling)", "/health/", ""),
        ("article list /", "/", cast["editor"]),
        (f"article list, page {cast['deep_page']}", f"/?page={cast['deep_page']}", cast["editor"]),
        ("desk /desk/", "/desk/", cast["editor"]),
        (f"My claims ({cast['queue']} open)", "/my-claims/", cast["reviewer"]),
        (f"article page ({cast['article_claims']} claims)", f"/articles/{cast['article']}/", cast["editor"]),
        ("review page", f"/claims/{cast['claim']}/review/", cast["reviewer"]),
    ]
    if only := os.environ.get("VERIFY_BENCH_PAGES"):  # e.g. "desk,my-claims": a quicker partial run
        pages = [page for page in pages if any(word in page[1] for word in only.split(","))]
    port = _free_port()
    server = _start_gunicorn(env, port)
    rows = []
    try:
        for label, path, cookie in pages:
            url = f"http://127.0.0.1:{port}{path}"
            _loadgen("closed", url, cookie, seconds=2)  # every worker has imported and connected
            fixed = _loadgen("open", url, cookie, seconds=SECONDS)
            saturated = _loadgen("closed", url, cookie, seconds=SATURATE_SECONDS)
            rows.append((label, fixed, saturated))
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(
        f"\nLoad at {CLAIMS:,} claims in {ARTICLES:,} articles, PostgreSQL, gunicorn {WORKERS} sync workers "
        f"on 127.0.0.1, {os.cpu_count()} CPUs shared with the database and the load generator; "
        f"{RATE:g} req/s for {SECONDS:g} s (open loop), then {CLIENTS} clients for {SATURATE_SECONDS:g} s."
    )
    for label, fixed, saturated in rows:
        record(
            "pages at 1M claims",
            label,
            f"p50 {fixed['p50_ms']:.0f} ms, p95 {fixed['p95_ms']:.0f} ms at {RATE:g}/s; {saturated['rps']:.0f} req/s max",
        )
    print(f"| {'page':<34} | p50 ms | p95 ms | max ms | errors | saturated req/s |")
    print(f"|{'-' * 36}|-------:|-------:|-------:|-------:|----------------:|")
    for label, fixed, saturated in rows:
        errors = fixed["errors"] + saturated["errors"]
        print(
            f"| {label:<34} | {fixed['p50_ms']:6.1f} | {fixed['p95_ms']:6.1f} | {fixed['max_ms']:6.0f} "
            f"| {errors:6d} | {saturated['rps']:15.1f} |"
        )
